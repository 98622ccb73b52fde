// Watchpoints inside the engine: a stop after the instruction that
// accessed a watched range, at the next instruction boundary, with every
// register as it is there.  Writes of the value already there, reads, CAS,
// rep string iterations (and their side exits), dirty helpers (fxsave,
// fxrstor), a ret's read at a block's end, unaligned and straddling
// accesses, many ranges (the page filter), and what happens when the
// accessing instruction faults or stops for another reason.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "gdbstub/replay/executor.h"
#include "gdbstub/replay/tests/test_machine.h"
#include "gdbstub/replay/watch_pass.h"

namespace unstuck::replay {
namespace {

using testing::Machine;

constexpr GuestAddr kCode = 0x403000;
constexpr GuestAddr kData = 0x500000;

StopConditions watching(std::vector<WatchRange> ranges) {
  StopConditions c;
  c.watchpoints = std::move(ranges);
  return c;
}

// Ranges in far-away pages: with them, no access kind has few enough ranges
// to be compared inline, and the page filter decides.
std::vector<WatchRange> with_distant_ranges(std::vector<WatchRange> ranges) {
  for (uint64_t i = 0; i < kInlineWatchRanges; ++i)
    ranges.push_back({0x10000000 + i * 0x100000, 8, Access::Either});
  return ranges;
}

void put64(Machine& m, GuestAddr at, uint64_t value) {
  REQUIRE(m.memory.write(at, &value, 8));
}

void check_watch_stop(const Stop& stop, uint64_t address, Access access) {
  REQUIRE(stop.reason == StopReason::Watchpoint);
  CHECK(stop.hit.kind == ConditionHit::Kind::Watchpoint);
  CHECK(stop.hit.address == address);
  CHECK(stop.hit.access == access);
}

// mov $5,%eax; mov %rax,(%rbx); mov $7,%eax; mov $9,%ecx; syscall
void load_store_program(Machine& m) {
  m.load(kCode, {0xb8, 0x05, 0, 0, 0, 0x48, 0x89, 0x03, 0xb8, 0x07, 0, 0, 0,
                 0xb9, 0x09, 0, 0, 0, 0x0f, 0x05});
  m.reset(kCode);
  m.state.guest_RBX = kData;
}

TEST_CASE("a write of the value already there stops after the writing instruction") {
  for (bool page_filter : {false, true}) {
    Machine m;
    std::vector<WatchRange> ranges = {{kData, 8, Access::Write}};
    m.executor.set_stop_conditions(
        watching(page_filter ? with_distant_ranges(ranges) : ranges));
    put64(m, kData, 5);
    load_store_program(m);
    check_watch_stop(m.run(), kData, Access::Write);
    CHECK(m.executor.time() == 2);
    CHECK(m.state.guest_RIP == kCode + 8);
    CHECK(m.state.guest_RAX == 5);  // precise in the middle of the block
    CHECK(m.run().reason == StopReason::Syscall);
    CHECK(m.executor.time() == 5);
    CHECK(m.state.guest_RAX == 7);
  }
}

TEST_CASE("a watchpoint stop comes before the deadline's, at the same time") {
  Machine m;
  m.executor.set_stop_conditions(watching({{kData, 8, Access::Write}}));
  load_store_program(m);
  check_watch_stop(m.run(2), kData, Access::Write);
  CHECK(m.executor.time() == 2);
  CHECK(m.run(2).reason == StopReason::ReachedDeadline);
}

TEST_CASE("a read watchpoint sees reads, a write watchpoint does not") {
  // mov (%rbx),%rcx; nop; syscall
  for (Access watched : {Access::Read, Access::Write, Access::Either}) {
    Machine m;
    m.executor.set_stop_conditions(watching({{kData + 4, 2, watched}}));
    m.load(kCode, {0x48, 0x8b, 0x0b, 0x90, 0x0f, 0x05});
    m.reset(kCode);
    m.state.guest_RBX = kData;
    Stop stop = m.run();
    if (watched == Access::Write) {
      CHECK(stop.reason == StopReason::Syscall);
      continue;
    }
    check_watch_stop(stop, kData + 4, Access::Read);
    CHECK(m.executor.time() == 1);
    CHECK(m.state.guest_RIP == kCode + 3);
  }
}

TEST_CASE("a CAS reads and writes, whether it succeeds or not") {
  // lock cmpxchg %rcx,(%rbx); nop; syscall
  for (bool succeeds : {true, false}) {
    for (Access watched : {Access::Read, Access::Write, Access::Either}) {
      Machine m;
      m.executor.set_stop_conditions(watching({{kData, 8, watched}}));
      m.load(kCode, {0xf0, 0x48, 0x0f, 0xb1, 0x0b, 0x90, 0x0f, 0x05});
      put64(m, kData, 42);
      m.reset(kCode);
      m.state.guest_RBX = kData;
      m.state.guest_RAX = succeeds ? 42 : 41;
      m.state.guest_RCX = 43;
      check_watch_stop(m.run(), kData,
                       watched == Access::Read ? Access::Read : Access::Write);
      CHECK(m.executor.time() == 1);
      uint64_t value = 0;
      REQUIRE(m.memory.read(kData, &value, 8));
      CHECK(value == (succeeds ? 43u : 42u));
    }
  }
}

TEST_CASE("rep movsb stops after the iteration that touched the range") {
  // rep movsb; syscall: 16 bytes from kData to kData + 0x100
  for (Access watched : {Access::Read, Access::Write}) {
    Machine m;
    const GuestAddr byte = watched == Access::Read ? kData + 5 : kData + 0x105;
    m.executor.set_stop_conditions(watching({{byte, 1, watched}}));
    m.load(kCode, {0xf3, 0xa4, 0x0f, 0x05});
    m.reset(kCode);
    m.state.guest_RSI = kData;
    m.state.guest_RDI = kData + 0x100;
    m.state.guest_RCX = 16;
    check_watch_stop(m.run(), byte, watched);
    CHECK(m.executor.time() == 6);  // one per iteration
    CHECK(m.state.guest_RCX == 10);
    CHECK(m.state.guest_RIP == kCode);  // more iterations to come
    CHECK(m.run().reason == StopReason::Syscall);
    CHECK(m.state.guest_RCX != 0);  // syscall's return address
  }
}

TEST_CASE("repe cmpsb stops after the iteration, through its side exit") {
  // repe cmpsb; syscall: two equal 16-byte buffers
  Machine m;
  m.executor.set_stop_conditions(watching({{kData + 3, 1, Access::Read}}));
  m.load(kCode, {0xf3, 0xa6, 0x0f, 0x05});
  for (int round = 0; round < 2; ++round) {  // the second one chained
    m.reset(kCode);
    m.state.guest_RSI = kData;
    m.state.guest_RDI = kData + 0x100;
    m.state.guest_RCX = 16;
    check_watch_stop(m.run(), kData + 3, Access::Read);
    CHECK(m.executor.time() == 4);
    CHECK(m.state.guest_RCX == 12);
    CHECK(m.state.guest_RIP == kCode);
    CHECK(m.run().reason == StopReason::Syscall);
  }
}

TEST_CASE("fxsave and fxrstor, dirty helpers, are watched") {
  // fxsave (%rbx); fxrstor (%rbx); syscall
  const GuestAddr area = kData + 0x200;
  // The x87 part (written by a helper) and xmm0's slot (by plain stores).
  for (GuestAddr watched : {area + 32, area + 160}) {
    Machine m;
    m.load(kCode, {0x0f, 0xae, 0x03, 0x0f, 0xae, 0x0b, 0x0f, 0x05});
    m.executor.set_stop_conditions(watching({{watched, 16, Access::Write}}));
    m.reset(kCode);
    m.state.guest_RBX = area;
    check_watch_stop(m.run(), watched, Access::Write);
    CHECK(m.executor.time() == 1);
    CHECK(m.state.guest_RIP == kCode + 3);
    CHECK(m.run().reason == StopReason::Syscall);

    m.executor.set_stop_conditions(watching({{watched, 16, Access::Read}}));
    m.reset(kCode);
    m.state.guest_RBX = area;
    check_watch_stop(m.run(), watched, Access::Read);
    CHECK(m.executor.time() == 2);
  }
}

TEST_CASE("a ret that reads a watched slot stops at its return address") {
  // kCode: call kCode+7; syscall; kCode+7: ret
  Machine m;
  m.load(kCode, {0xe8, 0x02, 0, 0, 0, 0x0f, 0x05, 0xc3});
  const GuestAddr slot = 0x7ff000 - 8;
  m.executor.set_stop_conditions(watching({{slot, 8, Access::Either}}));
  for (int round = 0; round < 2; ++round) {  // the second one through the fast table
    m.reset(kCode);
    check_watch_stop(m.run(), slot, Access::Write);  // the call's push
    CHECK(m.executor.time() == 1);
    CHECK(m.state.guest_RIP == kCode + 7);
    check_watch_stop(m.run(), slot, Access::Read);  // the ret's pop
    CHECK(m.executor.time() == 2);
    CHECK(m.state.guest_RIP == kCode + 5);
    CHECK(m.run().reason == StopReason::Syscall);
    CHECK(m.executor.time() == 3);
  }
}

TEST_CASE("a stop in a chained loop has the registers of that iteration") {
  // mov $1000,%ecx; L: mov %rcx,(%rbx,%rcx,8); dec %ecx; jnz L; syscall
  Machine m;
  m.load(kCode, {0xb9, 0xe8, 0x03, 0, 0, 0x48, 0x89, 0x0c, 0xcb, 0xff, 0xc9,
                 0x75, 0xf8, 0x0f, 0x05});
  const uint64_t k = 400;
  m.executor.set_stop_conditions(watching({{kData + 8 * k, 8, Access::Write}}));
  m.reset(kCode);
  m.state.guest_RBX = kData;
  check_watch_stop(m.run(), kData + 8 * k, Access::Write);
  const uint64_t j = 1000 - k;  // the iteration that stores rcx == k
  CHECK(m.executor.time() == 2 + 3 * j);
  CHECK(m.state.guest_RCX == k);
  CHECK(m.state.guest_RIP == kCode + 9);
  CHECK(m.executor.stats().chains > 0);
  CHECK(m.run().reason == StopReason::Syscall);
  CHECK(m.executor.time() == 2 + 3 * 1000);
}

TEST_CASE("unaligned and straddling accesses hit the lowest watched byte") {
  // mov %rax,(%rbx); syscall
  const GuestAddr w = kData + 0x301;                // 4 bytes, unaligned
  const GuestAddr page = kData + 0x1000;
  struct Case { GuestAddr range; uint64_t length; GuestAddr access; bool hit; GuestAddr lowest; };
  const Case cases[] = {
      {w, 4, w - 8, false, 0},   {w, 4, w - 7, true, w},
      {w, 4, w - 3, true, w},    {w, 4, w + 2, true, w + 2},
      {w, 4, w + 3, true, w + 3}, {w, 4, w + 4, false, 0},
      {page - 2, 4, page - 8, true, page - 2},  // the range straddles pages
      {page - 2, 4, page, true, page},
      {page - 2, 4, page + 2, false, 0},
      {page, 4, page - 4, true, page},          // the access straddles them
      {page + 0xffc, 8, page + 0xffe, true, page + 0xffe},
  };
  for (bool page_filter : {false, true}) {
    for (const Case& c : cases) {
      INFO("range 0x" << std::hex << c.range << " access 0x" << c.access
                      << (page_filter ? " page filter" : ""));
      Machine m;
      std::vector<WatchRange> ranges = {{c.range, c.length, Access::Write}};
      m.executor.set_stop_conditions(
          watching(page_filter ? with_distant_ranges(ranges) : ranges));
      m.load(kCode, {0x48, 0x89, 0x03, 0x0f, 0x05});
      m.reset(kCode);
      m.state.guest_RBX = c.access;
      Stop stop = m.run();
      if (!c.hit) {
        CHECK(stop.reason == StopReason::Syscall);
        continue;
      }
      check_watch_stop(stop, c.lowest, Access::Write);
    }
  }
}

TEST_CASE("many ranges: the lowest one touched, and no stop beside them") {
  // mov %rax,(%rbx); syscall
  std::vector<WatchRange> ranges;
  for (uint64_t i = 0; i < 12; ++i)
    ranges.push_back({kData + i * 0x2000 + 0x40, 2, Access::Write});
  ranges.push_back({kData + 0x6000 + 0x44, 2, Access::Write});
  for (GuestAddr access : {kData + 0x6000 + 0x3e, kData + 0x6000 + 0x60,
                           kData + 0x16000 + 0x41}) {
    Machine m;
    m.executor.set_stop_conditions(watching(ranges));
    m.load(kCode, {0x48, 0x89, 0x03, 0x0f, 0x05});
    m.reset(kCode);
    m.state.guest_RBX = access;
    Stop stop = m.run();
    if (access == kData + 0x6000 + 0x60) {
      CHECK(stop.reason == StopReason::Syscall);  // a watched page, no range
    } else {
      // Two ranges touched at 0x6040 and 0x6044 (the lower wins), or one.
      check_watch_stop(stop, access == kData + 0x6000 + 0x3e ? kData + 0x6040
                                                             : access,
                       Access::Write);
    }
  }
}

TEST_CASE("an instruction that faults after touching a range does not stop for it") {
  // movsq (reads the watched source, writes outside the window); syscall
  Machine m;
  m.executor.set_stop_conditions(watching({{kData, 8, Access::Read}}));
  m.load(kCode, {0x48, 0xa5, 0x0f, 0x05});
  m.reset(kCode);
  m.state.guest_RSI = kData;
  m.state.guest_RDI = 0x4000000000ULL;
  CHECK(m.run().reason == StopReason::SigSegv);
  CHECK(m.executor.time() == 0);
  m.state.guest_RDI = kData + 0x100;
  check_watch_stop(m.run(), kData, Access::Read);
  CHECK(m.executor.time() == 1);
}

TEST_CASE("a hit, then a fault in the next instruction: the hit comes first") {
  // mov (%rbx),%rcx; mov (%rdx),%rcx; syscall
  Machine m;
  m.executor.set_stop_conditions(watching({{kData, 8, Access::Read}}));
  m.load(kCode, {0x48, 0x8b, 0x0b, 0x48, 0x8b, 0x0a, 0x0f, 0x05});
  m.reset(kCode);
  m.state.guest_RBX = kData;
  m.state.guest_RDX = 0x4000000000ULL;
  check_watch_stop(m.run(), kData, Access::Read);
  CHECK(m.executor.time() == 1);
  CHECK(m.run().reason == StopReason::SigSegv);
  CHECK(m.executor.time() == 1);
}

TEST_CASE("an emulation warning from the touching instruction comes first") {
  // fldcw (%rbx) with a precision VEX does not emulate; nop; syscall
  Machine m;
  m.executor.set_stop_conditions(watching({{kData, 2, Access::Read}}));
  m.load(kCode, {0xd9, 0x2b, 0x90, 0x0f, 0x05});
  const uint16_t control = 0x027f;
  REQUIRE(m.memory.write(kData, &control, 2));
  m.reset(kCode);
  m.state.guest_RBX = kData;
  CHECK(m.run().reason == StopReason::EmWarn);
  CHECK(m.executor.time() == 1);
  check_watch_stop(m.run(), kData, Access::Read);
  CHECK(m.executor.time() == 1);
  CHECK(m.run().reason == StopReason::Syscall);
}

TEST_CASE("a breakpoint on a watched store: first the breakpoint, then the write") {
  Machine m;
  StopConditions c = watching({{kData, 8, Access::Write}});
  c.breakpoints = {kCode + 5};
  m.executor.set_stop_conditions(c);
  load_store_program(m);
  REQUIRE(m.run().reason == StopReason::Breakpoint);
  CHECK(m.executor.time() == 1);
  m.executor.skip_breakpoints_at(1);
  check_watch_stop(m.run(), kData, Access::Write);
  CHECK(m.executor.time() == 2);
  CHECK(m.run().reason == StopReason::Syscall);
}

TEST_CASE("translations are made again when the watched ranges change") {
  Machine m;
  load_store_program(m);
  CHECK(m.run().reason == StopReason::Syscall);
  const uint64_t made = m.executor.stats().translations;
  m.executor.set_stop_conditions(watching({{kData, 8, Access::Write}}));
  m.executor.set_stop_conditions(watching({{kData, 8, Access::Write}}));
  load_store_program(m);
  CHECK(m.run().reason == StopReason::Watchpoint);
  CHECK(m.executor.stats().flushes == 1);  // setting the same ranges again: nothing
  m.executor.set_stop_conditions({});
  load_store_program(m);
  CHECK(m.run().reason == StopReason::Syscall);
  CHECK(m.executor.stats().flushes == 2);
  CHECK(m.executor.stats().translations > made);
}

}  // namespace
}  // namespace unstuck::replay
