// check-time-machine TRACE [--seeks N] [--timings]
// Checks the time machine against a plain forward replay of the same trace
// (the ground truth):
//  - going to N random times, in random order, gives the registers the
//    forward replay had at those times;
//  - reverse-continue from the end to a breakpoint stops at its last hit;
//  - reverse-stepi goes back to the thread's previous instruction;
//  - forward continue from the start stops at the breakpoint's first hit;
//  - a write watchpoint stops after the first instruction that wrote the
//    word (no later than the first change the stepping oracle sees).
// Prints one line per check ("ok ..." or "FAIL ..."); with --timings, the
// latencies too (not for comparisons: they vary).
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <random>

#include "gdbstub/replay/trace_replayer.h"
#include "gdbstub/target/time_machine.h"

using namespace unstuck;

namespace {

int g_failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++g_failures;
}

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

bool same_registers(const VexGuestAMD64State& a, const VexGuestAMD64State& b) {
  // The first 16 bytes belong to the dispatcher, not the guest.
  return std::memcmp(reinterpret_cast<const char*>(&a) + 16,
                     reinterpret_cast<const char*>(&b) + 16, sizeof a - 16) == 0;
}

struct Truth {
  uint32_t thread;
  VexGuestAMD64State registers;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: check-time-machine TRACE [--seeks N] [--timings]\n");
    return 2;
  }
  std::string folder = argv[1];
  int seeks = 40;
  bool timings = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seeks") == 0 && i + 1 < argc) seeks = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--timings") == 0) timings = true;
  }
  std::string error;
  auto reader = trace::TraceReader::open(folder, &error);
  if (!reader) {
    std::fprintf(stderr, "check-time-machine: %s\n", error.c_str());
    return 1;
  }
  // Small intervals, so that the checks cross many snapshots.
  target::TimeMachineOptions options;
  uint64_t length = reader->last_time() - reader->header().start_time;
  options.snapshot_interval = std::max<uint64_t>(length / 8, 1000);
  options.near_snapshot_distance = std::max<uint64_t>(length / 50, 100);
  auto machine = target::TimeMachine::open(folder, options, &error);
  if (!machine) {
    std::fprintf(stderr, "check-time-machine: %s\n", error.c_str());
    return 1;
  }
  const uint64_t start = machine->summary().start_time, end = machine->summary().end_time;

  // Ground truth: one forward replay, stopping at each chosen time.
  std::mt19937_64 rng(1234);
  std::vector<uint64_t> times;
  for (int i = 0; i < seeks; ++i) times.push_back(start + rng() % (end - start));
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  // (One replayer at a time: a process holds one guest memory.)
  std::map<uint64_t, Truth> truth;
  {
    replay::TraceReplayer forward(*reader);
    for (uint64_t t : times) {
      forward.run_until(t);
      uint32_t thread = forward.running_thread();
      if (const VexGuestAMD64State* r = forward.registers(thread)) truth[t] = {thread, *r};
    }
  }

  // 1. Random seeks, in random order.
  std::vector<uint64_t> order = times;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<double> latencies;
  int matched = 0;
  for (uint64_t t : order) {
    double t0 = now_ms();
    machine->go_to(t);
    latencies.push_back(now_ms() - t0);
    const Truth& expected = truth[t];
    auto got = machine->registers(expected.thread);
    if (machine->time() == t && got && same_registers(*got, expected.registers)) ++matched;
  }
  check(matched == static_cast<int>(order.size()),
        "go_to at " + std::to_string(order.size()) + " random times matches a forward replay");
  if (timings)
    std::printf("     seek latency: median %.1f ms, max %.1f ms, %zu snapshots\n",
                median(latencies), *std::max_element(latencies.begin(), latencies.end()),
                machine->snapshot_count());

  // 2. A breakpoint at the pc of the middle chosen time: its last and first
  // hits, by a forward replay with the condition on.
  uint64_t middle = times[times.size() / 2];
  uint64_t bp = truth[middle].registers.guest_RIP;
  replay::StopConditions c;
  c.breakpoints.push_back(bp);
  std::vector<uint64_t> hits;
  {
    replay::TraceReplayer scan(*reader);
    uint64_t ignore = UINT64_MAX;
    while (scan.run_until(end, c, ignore) == replay::ReplayOutcome::Stopped) {
      hits.push_back(scan.time());
      ignore = scan.time();
    }
  }
  target::StopConditions tc;
  tc.breakpoints.push_back(bp);
  machine->go_to(end);
  double t0 = now_ms();
  target::StopEvent back = machine->resume(target::Direction::Backward, false, 0, tc);
  double reverse_ms = now_ms() - t0;
  check(!hits.empty() && back.kind == target::StopKind::Breakpoint && back.time == hits.back(),
        "reverse-continue from the end stops at the breakpoint's last hit");
  if (timings)
    std::printf("     reverse-continue: %.1f ms (the breakpoint was hit %zu times)\n",
                reverse_ms, hits.size());

  // 3. reverse-stepi from there, twice.
  std::vector<double> step_latencies;
  bool steps_ok = true;
  for (int i = 0; i < 2; ++i) {
    uint64_t before = machine->time();
    uint32_t thread = machine->current_thread();
    t0 = now_ms();
    target::StopEvent s = machine->resume(target::Direction::Backward, true, thread, {});
    step_latencies.push_back(now_ms() - t0);
    steps_ok = steps_ok && s.kind == target::StopKind::Step && s.time < before &&
               s.thread == thread;
  }
  check(steps_ok, "reverse-stepi goes back one instruction of the thread, twice");
  if (timings) std::printf("     reverse-stepi: %.1f ms, %.1f ms\n", step_latencies[0], step_latencies[1]);

  // 4. Forward from the start to the first hit.
  machine->go_to(start);
  target::StopEvent first = machine->resume(target::Direction::Forward, false, 0, tc);
  check(first.kind == target::StopKind::Breakpoint && first.time == hits.front(),
        "continue from the start stops at the breakpoint's first hit");

  // 5. A write watchpoint on the stack word at the middle time's rsp: the
  // first stop after it is the first write of the word, which changed it
  // or wrote the value already there.  The stepping oracle (which compares
  // bytes) finds the first change: the stop is no later, and a stop before
  // it changed nothing.
  machine->go_to(middle);
  uint64_t rsp = truth[middle].registers.guest_RSP;
  target::StopConditions wc;
  wc.watchpoints.push_back({rsp, 8, target::WatchKind::Write});
  std::optional<uint64_t> first_change;
  {
    replay::TraceReplayer oracle(*reader);
    oracle.set_stepping_oracle(true);
    oracle.run_until(middle);
    if (oracle.run_until(end, target::engine_conditions(wc), UINT64_MAX) ==
        replay::ReplayOutcome::Stopped)
      first_change = oracle.time();
  }
  uint64_t old_value = 0, new_value = 0;
  machine->read_memory(rsp, &old_value, 8);
  target::StopEvent w = machine->resume(target::Direction::Forward, false, 0, wc);
  machine->read_memory(rsp, &new_value, 8);
  bool watched = w.kind == target::StopKind::Watchpoint && w.watch_address == rsp &&
                 (!first_change || w.time <= *first_change) &&
                 (new_value != old_value) == (first_change && w.time == *first_change);
  if (w.kind == target::StopKind::HistoryEnd) watched = !first_change;  // never written again
  check(watched, "a write watchpoint stops after the first instruction that wrote the word");
  if (!watched)
    std::printf("     stop kind %d at time %" PRIu64 " (first change at %" PRIu64
                "), old 0x%" PRIx64 ", new 0x%" PRIx64 ": %s\n",
                static_cast<int>(w.kind), w.time, first_change.value_or(0), old_value,
                new_value, w.message.c_str());

  // 6. The end and the beginning of the history.
  machine->go_to(end);
  target::StopEvent at_end = machine->resume(target::Direction::Forward, false, 0, {});
  target::StopEvent exited = machine->resume(target::Direction::Forward, false, 0, {});
  check(at_end.kind == target::StopKind::HistoryEnd && exited.kind == target::StopKind::Exited,
        "continue at the end reports the end of the history, then the exit");
  target::StopEvent at_begin = machine->resume(target::Direction::Backward, false, 0, {});
  check(at_begin.kind == target::StopKind::HistoryBegin && machine->time() == start,
        "reverse-continue without breakpoints reaches the start of the history");
  return g_failures == 0 ? 0 : 1;
}
