// condition-bench TRACE [RUNS] [--oracle]: what stop conditions cost.
//  - Forward replays of the whole trace in one process (TraceReplayer, no
//    snapshots): plain; with a breakpoint that is never hit; with one and
//    with twelve watched ranges that are never touched (the inline compares
//    and the page filter); with --oracle, the per-instruction path with the
//    never-hit breakpoint, which is what every run with conditions cost
//    before the engine checked them.
//  - The time machine (default settings): the first pass to the end, then
//    reverse-continue from the end to a breakpoint at the program's entry
//    point (hit once, near the start), and to one at the instruction run
//    half-way through the trace (in a hot loop, for gzip), and forward
//    continue from the start with the never-hit breakpoint.
// Prints medians of RUNS (default 3) runs, in seconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "gdbstub/replay/trace_replayer.h"
#include "gdbstub/target/time_machine.h"

using namespace unstuck;

namespace {

double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

struct Timing {
  double first, median;
};

// The times of `measured`, each run after an untimed `setup`: the first
// run's (the time machine's later runs find snapshots the first one left)
// and the median.
Timing time_runs(int runs, const std::function<void()>& measured,
                 const std::function<void()>& setup = [] {}) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    setup();
    double t0 = now_s();
    measured();
    times.push_back(now_s() - t0);
  }
  const double first = times.front();
  std::sort(times.begin(), times.end());
  return {first, times[times.size() / 2]};
}

double median_of(int runs, const std::function<void()>& f) {
  return time_runs(runs, f).median;
}

// AT_ENTRY (9) from the recorded auxiliary vector: the program's entry
// point, executed once, early.
uint64_t entry_point(const std::vector<uint8_t>& auxv) {
  for (size_t i = 0; i + 16 <= auxv.size(); i += 16) {
    uint64_t type, value;
    std::memcpy(&type, &auxv[i], 8);
    std::memcpy(&value, &auxv[i + 8], 8);
    if (type == 9) return value;
  }
  return 0;
}

// One forward replay of the whole trace; false when a condition stopped it.
bool replay_all(const trace::TraceReader& reader, const replay::StopConditions& c,
                bool oracle) {
  replay::TraceReplayer r(reader);
  r.set_stepping_oracle(oracle);
  return r.run_until(reader.last_time(), c, UINT64_MAX) == replay::ReplayOutcome::Finished;
}

// The instruction about to run at `time`.
uint64_t pc_at(const trace::TraceReader& reader, uint64_t time) {
  replay::TraceReplayer r(reader);
  r.run_until(time);
  const VexGuestAMD64State* s = r.registers(r.running_thread());
  return s != nullptr ? s->guest_RIP : 0;
}

// Watched ranges no instruction touches: below any mapping, a page apart.
std::vector<replay::WatchRange> untouched_ranges(int n) {
  std::vector<replay::WatchRange> ranges;
  for (int i = 0; i < n; ++i)
    ranges.push_back({0x10000 + 0x1000 * static_cast<uint64_t>(i), 8, replay::Access::Either});
  return ranges;
}

// The forward replays of the whole trace, one process each.
void print_forward_replays(const trace::TraceReader& reader, uint64_t entry, int runs,
                           bool oracle) {
  const uint64_t length = reader.last_time() - reader.header().start_time;
  replay::StopConditions never_hit, one_watch, many_watches;
  never_hit.breakpoints = {entry + 1};  // inside the entry's first instruction
  one_watch.watchpoints = untouched_ranges(1);
  many_watches.watchpoints = untouched_ranges(12);
  std::printf("| forward replay of the whole trace | s | instructions/s |\n|---|---|---|\n");
  auto row = [&](const char* what, const replay::StopConditions& c, bool by_steps, int n) {
    bool finished = true;
    double s = median_of(n, [&] { finished = replay_all(reader, c, by_steps) && finished; });
    std::printf("| %s%s | %.2f | %.3g |\n", what, finished ? "" : " (STOPPED)", s, length / s);
  };
  row("plain", {}, false, runs);
  row("a breakpoint never hit", never_hit, false, runs);
  row("1 watched range never touched", one_watch, false, runs);
  row("12 watched ranges never touched (page filter)", many_watches, false, runs);
  if (oracle) row("a breakpoint never hit, per-instruction oracle", never_hit, true, 1);
}

const char* kind_text(const target::StopEvent& e) {
  switch (e.kind) {
    case target::StopKind::Breakpoint: return "breakpoint";
    case target::StopKind::HistoryEnd: return "end of the history";
    default: return "SOMETHING ELSE";
  }
}

// Resumes from `from` (a time go_to reaches, untimed) `runs` times.
void time_resume(target::TimeMachine& machine, const char* what, uint64_t from,
                 target::Direction direction, uint64_t breakpoint, int runs) {
  target::StopConditions c;
  c.breakpoints = {breakpoint};
  target::StopEvent stop;
  Timing t = time_runs(
      runs, [&] { stop = machine.resume(direction, false, 0, c); },
      [&] { machine.go_to(from); });
  std::printf("| %s, 0x%llx (stopped at time %llu: %s) | %.2f | %.2f |\n", what,
              static_cast<unsigned long long>(breakpoint),
              static_cast<unsigned long long>(stop.time), kind_text(stop), t.first, t.median);
}

void print_time_machine(target::TimeMachine& machine, uint64_t entry, uint64_t halfway_pc,
                        int runs) {
  const uint64_t start = machine.summary().start_time, end = machine.summary().end_time;
  double first_pass = median_of(1, [&] { machine.go_to(end); });
  std::printf("\n| time machine | first s | median s |\n|---|---|---|\n");
  std::printf("| first pass to the end (%zu snapshots) | %.2f | |\n", machine.snapshot_count(),
              first_pass);
  time_resume(machine, "from the end, reverse-continue to the entry point", end,
              target::Direction::Backward, entry, runs);
  time_resume(machine, "from the end, reverse-continue to the instruction run half-way", end,
              target::Direction::Backward, halfway_pc, runs);
  time_resume(machine, "from the start, continue with a breakpoint never hit", start,
              target::Direction::Forward, entry + 1, runs);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: condition-bench TRACE [RUNS] [--oracle]\n");
    return 2;
  }
  int runs = 3;
  bool oracle = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--oracle") == 0) oracle = true;
    else runs = std::atoi(argv[i]);
  }
  std::string error;
  auto reader = trace::TraceReader::open(argv[1], &error);
  if (!reader) {
    std::fprintf(stderr, "condition-bench: %s\n", error.c_str());
    return 1;
  }
  const uint64_t length = reader->last_time() - reader->header().start_time;
  const uint64_t entry = entry_point(reader->header().auxv);
  std::printf("%llu instructions; breakpoint at the entry point 0x%llx\n\n",
              static_cast<unsigned long long>(length), static_cast<unsigned long long>(entry));
  print_forward_replays(*reader, entry, runs, oracle);
  const uint64_t halfway_pc = pc_at(*reader, reader->header().start_time + length / 2);
  auto machine = target::TimeMachine::open(argv[1], target::TimeMachineOptions{}, &error);
  if (!machine) {
    std::fprintf(stderr, "condition-bench: %s\n", error.c_str());
    return 1;
  }
  print_time_machine(*machine, entry, halfway_pc, runs);
  return 0;
}
