// Breakpoints inside the engine: a stop before the instruction, with time
// unchanged, at the first, a middle and the last instruction of a block; in
// a chained loop; after a jump that was chained, or taken through the fast
// table, before the breakpoint existed; stepping off one; removing one.
#include <doctest/doctest.h>

#include <vector>

#include "gdbstub/replay/executor.h"
#include "gdbstub/replay/tests/test_machine.h"

namespace unstuck::replay {
namespace {

using testing::Machine;

// 0x401000: mov $n, %ecx          (time 0)
// 0x401005: L: add $1, %rax       (times 1 + 3k)
// 0x401009: dec %ecx              (times 2 + 3k)
// 0x40100b: jnz L                 (times 3 + 3k)
// 0x40100d: syscall               (time 1 + 3n)
// Blocks: [mov add dec jnz], [add dec jnz] (the loop), [syscall].
constexpr GuestAddr kLoop = 0x401000, kAdd = 0x401005, kDec = 0x401009,
                    kJnz = 0x40100b, kSyscall = 0x40100d;

void load_loop(Machine& m, uint32_t n) {
  m.load(kLoop, {0xb9, uint8_t(n), uint8_t(n >> 8), uint8_t(n >> 16),
                 uint8_t(n >> 24), 0x48, 0x83, 0xc0, 0x01, 0xff, 0xc9, 0x75,
                 0xf8, 0x0f, 0x05});
}

StopConditions breakpoints(std::vector<uint64_t> addresses) {
  StopConditions c;
  c.breakpoints = std::move(addresses);
  return c;
}

// Runs to the syscall, resuming from each breakpoint stop as a debugger
// does; returns the stop times.
std::vector<uint64_t> breakpoint_times(Machine& m) {
  std::vector<uint64_t> times;
  for (;;) {
    Stop stop = m.run();
    if (stop.reason != StopReason::Breakpoint) {
      CHECK(stop.reason == StopReason::Syscall);
      return times;
    }
    CHECK(stop.hit.kind == ConditionHit::Kind::Breakpoint);
    CHECK(stop.hit.address == m.state.guest_RIP);
    times.push_back(m.executor.time());
    m.executor.skip_breakpoints_at(m.executor.time());
  }
}

std::vector<uint64_t> arithmetic(uint64_t first, uint64_t step, uint64_t n) {
  std::vector<uint64_t> v;
  for (uint64_t k = 0; k < n; ++k) v.push_back(first + step * k);
  return v;
}

TEST_CASE("a breakpoint stops before its instruction, wherever it is in a block") {
  const uint32_t n = 100;
  struct Case { GuestAddr at; std::vector<uint64_t> times; };
  const Case cases[] = {
      {kLoop, {0}},                       // first of the first block
      {kAdd, arithmetic(1, 3, n)},        // middle of the first, first of the loop
      {kDec, arithmetic(2, 3, n)},        // middle
      {kJnz, arithmetic(3, 3, n)},        // last
      {kSyscall, {1 + 3 * n}},            // a block of its own
  };
  for (bool chaining : {true, false}) {
    for (const Case& c : cases) {
      INFO("breakpoint at 0x" << std::hex << c.at << (chaining ? " chained" : ""));
      Machine m;
      m.executor.set_chaining(chaining);
      load_loop(m, n);
      m.executor.set_stop_conditions(breakpoints({c.at}));
      m.reset(kLoop);
      CHECK(breakpoint_times(m) == c.times);
      CHECK(m.executor.time() == 2 + 3 * n);
      CHECK(m.state.guest_RAX == n);
    }
  }
}

TEST_CASE("at a breakpoint stop nothing of the instruction has run") {
  Machine m;
  load_loop(m, 10);
  m.executor.set_stop_conditions(breakpoints({kDec}));
  m.reset(kLoop);
  for (uint64_t k = 0; k < 3; ++k) {
    REQUIRE(m.run().reason == StopReason::Breakpoint);
    CHECK(m.executor.time() == 2 + 3 * k);
    CHECK(m.state.guest_RIP == kDec);
    CHECK(m.state.guest_RAX == k + 1);         // the add ran
    CHECK((m.state.guest_RCX & 0xffffffff) == 10 - k);  // the dec did not
    m.executor.skip_breakpoints_at(m.executor.time());
  }
  // Stopping again without skipping: the same place, the same time.
  m.executor.skip_breakpoints_at(UINT64_MAX);
  REQUIRE(m.run().reason == StopReason::Breakpoint);
  REQUIRE(m.run().reason == StopReason::Breakpoint);
  CHECK(m.executor.time() == 2 + 3 * 2);
}

TEST_CASE("a breakpoint in a loop that is already chained") {
  Machine m;
  const uint32_t n = 100000;
  load_loop(m, n);
  m.reset(kLoop);
  REQUIRE(m.run(30001).reason == StopReason::ReachedDeadline);
  REQUIRE(m.executor.stats().chains > 0);
  m.executor.set_stop_conditions(breakpoints({kJnz}));
  REQUIRE(m.run().reason == StopReason::Breakpoint);
  CHECK(m.executor.time() == 30003);  // the next jnz: 3 + 3k
  m.executor.skip_breakpoints_at(m.executor.time());
  REQUIRE(m.run().reason == StopReason::Breakpoint);
  CHECK(m.executor.time() == 30006);
  // Without the breakpoint the loop runs on, chained again.
  m.executor.set_stop_conditions({});
  const uint64_t chains = m.executor.stats().chains;
  CHECK(m.run().reason == StopReason::Syscall);
  CHECK(m.executor.time() == 2 + 3 * uint64_t{n});
  CHECK(m.state.guest_RAX == n);
  CHECK(m.executor.stats().chains > chains);
}

TEST_CASE("a breakpoint where a chained jump already leads") {
  Machine m;
  const uint32_t n = 1000;
  load_loop(m, n);
  m.reset(kLoop);
  REQUIRE(m.run().reason == StopReason::Syscall);  // the loop's exit is chained
  m.executor.set_stop_conditions(breakpoints({kSyscall}));
  m.reset(kLoop);
  Stop stop = m.run();
  CHECK(stop.reason == StopReason::Breakpoint);
  CHECK(m.executor.time() == 1 + 3 * n);
  CHECK(m.state.guest_RIP == kSyscall);
}

TEST_CASE("a breakpoint where an indirect jump leads through the fast table") {
  Machine m;
  constexpr GuestAddr kCode = 0x402000, kTarget = kCode + 0x20;
  // lea kTarget(%rip), %rax; jmp *%rax ... kTarget: nop; nop; syscall
  m.load(kCode, {0x48, 0x8d, 0x05, 0x19, 0, 0, 0, 0xff, 0xe0});
  m.load(kTarget, {0x90, 0x90, 0x0f, 0x05});
  m.reset(kCode);
  REQUIRE(m.run().reason == StopReason::Syscall);
  for (GuestAddr at : {kTarget, kTarget + 1}) {
    m.executor.set_stop_conditions(breakpoints({at}));
    m.reset(kCode);
    CHECK(m.run().reason == StopReason::Breakpoint);
    CHECK(m.state.guest_RIP == at);
    CHECK(m.executor.time() == 2 + (at - kTarget));
  }
}

TEST_CASE("a run that starts at a skipped breakpoint steps over it, once") {
  Machine m;
  load_loop(m, 5);
  m.executor.set_stop_conditions(breakpoints({kLoop, kAdd}));
  m.reset(kLoop);
  m.executor.skip_breakpoints_at(0);
  REQUIRE(m.run().reason == StopReason::Breakpoint);
  CHECK(m.executor.time() == 1);
  CHECK(m.state.guest_RIP == kAdd);
  // Skipping a time the run does not start at changes nothing there.
  m.executor.skip_breakpoints_at(0);
  REQUIRE(m.run().reason == StopReason::Breakpoint);
  CHECK(m.executor.time() == 1);
}

TEST_CASE("breakpoints never cost a stop at a deadline, nor move one") {
  Machine m;
  load_loop(m, 50);
  m.executor.set_stop_conditions(breakpoints({kJnz}));
  for (uint64_t deadline = 1; deadline <= 20; ++deadline) {
    m.reset(kLoop);
    m.executor.skip_breakpoints_at(UINT64_MAX);
    uint64_t stops = 0;
    for (;;) {
      Stop stop = m.run(deadline);
      if (stop.reason == StopReason::ReachedDeadline) break;
      REQUIRE(stop.reason == StopReason::Breakpoint);
      CHECK(m.executor.time() % 3 == 0);
      ++stops;
      m.executor.skip_breakpoints_at(m.executor.time());
    }
    CHECK(m.executor.time() == deadline);
    CHECK(stops == (deadline - 1) / 3);  // the jnz at 3, 6, ... before it
  }
}

}  // namespace
}  // namespace unstuck::replay
