// seek-bench TRACE [SEEKS]: how long moving around a trace takes, with the
// time machine's default settings.  The first pass replays to the end
// (leaving snapshots); then SEEKS random go_to's (default 30), then
// reverse-stepi's from random places.  Prints medians and maxima.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "gdbstub/target/time_machine.h"

using namespace unstuck;

namespace {

double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void report(const char* what, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::printf("%-18s median %7.1f ms   p90 %7.1f ms   max %7.1f ms   (%zu)\n", what,
              1000 * v[v.size() / 2], 1000 * v[v.size() * 9 / 10], 1000 * v.back(), v.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: seek-bench TRACE [SEEKS]\n");
    return 2;
  }
  int seeks = argc > 2 ? std::atoi(argv[2]) : 30;
  std::string error;
  double t0 = now_s();
  auto machine = target::TimeMachine::open(argv[1], target::TimeMachineOptions{}, &error);
  if (!machine) {
    std::fprintf(stderr, "seek-bench: %s\n", error.c_str());
    return 1;
  }
  uint64_t start = machine->summary().start_time, end = machine->summary().end_time;
  machine->go_to(end);
  std::printf("%llu instructions; first pass to the end %.2f s, %zu snapshots\n",
              static_cast<unsigned long long>(end - start), now_s() - t0,
              machine->snapshot_count());
  std::mt19937_64 rng(42);
  std::vector<double> seek_times, step_times;
  for (int i = 0; i < seeks; ++i) {
    uint64_t t = start + rng() % (end - start);
    double s = now_s();
    machine->go_to(t);
    seek_times.push_back(now_s() - s);
    s = now_s();
    machine->resume(target::Direction::Backward, true, machine->current_thread(), {});
    step_times.push_back(now_s() - s);
  }
  report("go_to random time", seek_times);
  report("reverse-stepi", step_times);
  return 0;
}
