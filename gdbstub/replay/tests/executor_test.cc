// The execution engine on hand-assembled guest code: exact stops at every
// instruction count, chained or not; the stops it reports (syscall, faults,
// client requests, undecodable code); non-deterministic instructions
// answered by the NondetSource; self-modifying code; redirections and
// no-redirect calls; translation-cache flushes.
#include "gdbstub/replay/executor.h"

#include <doctest/doctest.h>

#include "gdbstub/replay/tests/test_machine.h"

extern "C" {
#include "libvex_guest_amd64.h"
#include "libvex_trc_values.h"
}

namespace unstuck::replay {
namespace {

using testing::Machine;

// mov $n, %ecx; L: add $1, %rax; dec %ecx; jnz L; syscall
// 1 + 3n + 1 instructions.
constexpr GuestAddr kLoop = 0x401000;

void load_loop(Machine& m, uint32_t n) {
  m.load(kLoop, {0xb9, uint8_t(n), uint8_t(n >> 8), uint8_t(n >> 16),
                 uint8_t(n >> 24),             // mov $n, %ecx
                 0x48, 0x83, 0xc0, 0x01,       // L: add $1, %rax
                 0xff, 0xc9,                   // dec %ecx
                 0x75, 0xf8,                   // jnz L
                 0x0f, 0x05});                 // syscall
}

// What the loop's registers hold after `t` instructions.
uint64_t adds_after(uint64_t t, uint64_t n) {
  return t < 2 ? 0 : std::min<uint64_t>(n, (t - 2) / 3 + 1);
}
uint64_t rcx_after(uint64_t t, uint64_t n) {
  if (t < 1) return 0;
  uint64_t decs = t < 3 ? 0 : std::min<uint64_t>(n, (t - 3) / 3 + 1);
  return n - decs;
}

void check_loop_state(const Machine& m, uint64_t t, uint64_t n) {
  INFO("after " << t << " instructions");
  CHECK(m.executor.time() == t);
  CHECK(m.state.guest_RAX == adds_after(t, n));
  CHECK((m.state.guest_RCX & 0xffffffff) == rcx_after(t, n));
}

TEST_CASE("runs a loop to its syscall, counting every instruction") {
  Machine m;
  load_loop(m, 1000);
  m.reset(kLoop);
  Stop stop = m.run();
  CHECK(stop.reason == StopReason::Syscall);
  CHECK(stop.trc_or_jumpkind == VEX_TRC_JMP_SYS_SYSCALL);
  CHECK(m.executor.time() == 1 + 3 * 1000 + 1);
  CHECK(m.state.guest_RAX == 1000);
  CHECK(m.state.guest_RIP == kLoop + 15);
}

TEST_CASE("stops at every instruction count exactly, chained or not") {
  for (bool chaining : {true, false}) {
    Machine m;
    m.executor.set_chaining(chaining);
    const uint32_t n = 50;
    load_loop(m, n);
    for (uint64_t t = 0; t <= 3 * n + 1; ++t) {
      m.reset(kLoop);
      Stop stop = m.run(t);
      REQUIRE(stop.reason == StopReason::ReachedDeadline);
      check_loop_state(m, t, n);
    }
  }
}

TEST_CASE("resuming in pieces ends where one run ends") {
  Machine m;
  const uint32_t n = 200000;
  load_loop(m, n);
  m.reset(kLoop);
  uint64_t t = 0;
  for (uint64_t step : {1, 59, 60, 61, 119, 120, 121, 7777, 100003, 333331}) {
    t += step;
    REQUIRE(m.run(t).reason == StopReason::ReachedDeadline);
    check_loop_state(m, t, n);
  }
  CHECK(m.run().reason == StopReason::Syscall);
  CHECK(m.executor.time() == 3 * uint64_t{n} + 2);
  CHECK(m.state.guest_RAX == n);
  CHECK(m.executor.stats().chains > 0);
}

// Each snippet ends in int3, which leaves the registers alone (syscall
// would overwrite %rcx and %r11).
TEST_CASE("non-deterministic instructions ask the NondetSource") {
  Machine m;
  m.load(0x402000, {0x0f, 0x31, 0xcc});  // rdtsc; int3
  m.reset(0x402000);
  REQUIRE(m.run().reason == StopReason::SigTrap);
  CHECK(m.state.guest_RAX == 0x55667788);
  CHECK(m.state.guest_RDX == 0x11223344);

  m.load(0x402100, {0x0f, 0x01, 0xf9, 0xcc});  // rdtscp; int3
  m.reset(0x402100);
  REQUIRE(m.run().reason == StopReason::SigTrap);
  CHECK(m.state.guest_RAX == 0x05060708);
  CHECK(m.state.guest_RDX == 0x01020304);
  CHECK(m.state.guest_RCX == 7);

  m.load(0x402200, {0x0f, 0xa2, 0xcc});  // cpuid; int3
  m.reset(0x402200);
  m.state.guest_RAX = 7;
  REQUIRE(m.run().reason == StopReason::SigTrap);
  CHECK(m.nondet.last_leaf == 7);
  CHECK(m.state.guest_RBX == 0xbbbb);
  CHECK(m.state.guest_RCX == 0xcccc);
  CHECK(m.state.guest_RDX == 0xdddd);

  // rdrand %eax; setc %bl; int3
  m.load(0x402300, {0x0f, 0xc7, 0xf0, 0x0f, 0x92, 0xc3, 0xcc});
  m.reset(0x402300);
  REQUIRE(m.run().reason == StopReason::SigTrap);
  CHECK(m.state.guest_RAX == 0x12345678);
  CHECK((m.state.guest_RBX & 0xff) == 1);
}

TEST_CASE("a division by zero stops before the division retires") {
  Machine m;
  // xor %ecx,%ecx; nop; div %rcx; syscall
  m.load(0x403000, {0x31, 0xc9, 0x90, 0x48, 0xf7, 0xf1, 0x0f, 0x05});
  m.reset(0x403000);
  Stop stop = m.run();
  CHECK(stop.reason == StopReason::SigFpe);
  CHECK(m.executor.time() == 2);
}

TEST_CASE("an access outside the window stops with the guest address") {
  Machine m;
  // movabs $0x4000000000, %rbx; mov (%rbx), %rax; syscall
  m.load(0x403100, {0x48, 0xbb, 0, 0, 0, 0, 0x40, 0, 0, 0, 0x48, 0x8b, 0x03,
                    0x0f, 0x05});
  m.reset(0x403100);
  Stop stop = m.run();
  CHECK(stop.reason == StopReason::SigSegv);
  CHECK(stop.fault_address == 0x4000000000ULL);
  CHECK(m.executor.time() == 1);
  CHECK(m.state.guest_RIP == 0x40310a);

  // movabs $0x5000000000, %rax; jmp *%rax
  m.load(0x403200, {0x48, 0xb8, 0, 0, 0, 0, 0x50, 0, 0, 0, 0xff, 0xe0});
  m.reset(0x403200);
  stop = m.run();
  CHECK(stop.reason == StopReason::SigSegv);
  CHECK(stop.fault_address == 0x5000000000ULL);
  CHECK(m.executor.time() == 2);
}

TEST_CASE("a misaligned SSE access stops at the instruction, unretired") {
  Machine m;
  // nop; movaps (%rbx), %xmm0; syscall
  m.load(0x403600, {0x90, 0x0f, 0x28, 0x03, 0x0f, 0x05});
  m.reset(0x403600);
  m.state.guest_RBX = 0x403601;
  Stop stop = m.run();
  CHECK(stop.reason == StopReason::SigSegv);
  CHECK(stop.trc_or_jumpkind == VEX_TRC_JMP_SIGSEGV);
  CHECK(m.executor.time() == 1);
  CHECK(m.state.guest_RIP == 0x403601);
}

TEST_CASE("traps, undecodable code and client requests stop the run") {
  Machine m;
  m.load(0x403300, {0x90, 0xcc, 0x90});  // nop; int3; nop
  m.reset(0x403300);
  Stop stop = m.run();
  CHECK(stop.reason == StopReason::SigTrap);
  CHECK(m.executor.time() == 2);  // int3 retires
  CHECK(m.state.guest_RIP == 0x403302);

  m.load(0x403400, {0x90, 0x0f, 0x0b});  // nop; ud2
  m.reset(0x403400);
  stop = m.run();
  CHECK((stop.reason == StopReason::NoDecode ||
         stop.reason == StopReason::SigIll));
  CHECK(m.executor.time() == 1);  // ud2 does not
  CHECK(m.state.guest_RIP == 0x403401);

  // Valgrind's client-request sequence: four rotations of %rdi, then
  // xchg %rbx,%rbx.
  m.load(0x403500, {0x48, 0xc1, 0xc7, 0x03, 0x48, 0xc1, 0xc7, 0x0d, 0x48,
                    0xc1, 0xc7, 0x3d, 0x48, 0xc1, 0xc7, 0x33, 0x48, 0x87,
                    0xdb, 0x90});
  m.reset(0x403500);
  stop = m.run();
  CHECK(stop.reason == StopReason::ClientRequest);
  CHECK(m.state.guest_RIP == 0x403513);
}

TEST_CASE("code rewritten through GuestMemory::write is translated again") {
  Machine m;
  m.load(0x404000, {0xb8, 0x01, 0, 0, 0, 0x0f, 0x05});  // mov $1,%eax; syscall
  m.reset(0x404000);
  REQUIRE(m.run().reason == StopReason::Syscall);
  CHECK(m.state.guest_RAX == 1);
  CHECK(m.memory.is_code_page(0x404000));
  const uint8_t two = 2;
  REQUIRE(m.memory.write(0x404001, &two, 1));
  m.reset(0x404000);
  REQUIRE(m.run().reason == StopReason::Syscall);
  CHECK(m.state.guest_RAX == 2);
}

TEST_CASE("a guest store into its own code page drops the stale blocks") {
  Machine m;
  // 0x405000: movl $7, 0x405101(%rip); jmp 0x405100
  m.load(0x405000, {0xc7, 0x05, 0xf7, 0, 0, 0, 0x07, 0, 0, 0,
                    0xe9, 0xf1, 0, 0, 0});
  m.load(0x405100, {0xb8, 0x01, 0, 0, 0, 0x0f, 0x05});  // mov $1,%eax; syscall
  m.reset(0x405100);
  REQUIRE(m.run().reason == StopReason::Syscall);
  CHECK(m.state.guest_RAX == 1);
  for (int round = 0; round < 2; ++round) {
    m.reset(0x405000);
    REQUIRE(m.run().reason == StopReason::Syscall);
    CHECK(m.state.guest_RAX == 7);
    CHECK(m.executor.time() == 4);  // movl, jmp, mov, syscall
  }
}

TEST_CASE("clflush invalidates and carries on") {
  Machine m;
  // clflush (%rbx); syscall
  m.load(0x405200, {0x0f, 0xae, 0x3b, 0x0f, 0x05});
  m.reset(0x405200);
  m.state.guest_RBX = 0x405200;
  CHECK(m.run().reason == StopReason::Syscall);
  CHECK(m.executor.time() == 2);
}

constexpr GuestAddr kA = 0x406000, kB = 0x406100, kC = 0x406200;

void load_redirect_program(Machine& m) {
  m.load(kA, {0xb8, 0x01, 0, 0, 0, 0x0f, 0x05});  // mov $1,%eax; syscall
  m.load(kB, {0xb8, 0x02, 0, 0, 0, 0x0f, 0x05});  // mov $2,%eax; syscall
  // movabs $kA, %rax; call-noredir *%rax (Valgrind's special sequence)
  m.load(kC, {0x48, 0xb8, 0x00, 0x60, 0x40, 0, 0, 0, 0, 0,
              0x48, 0xc1, 0xc7, 0x03, 0x48, 0xc1, 0xc7, 0x0d, 0x48, 0xc1,
              0xc7, 0x3d, 0x48, 0xc1, 0xc7, 0x33, 0x48, 0x87, 0xd2});
}

uint64_t run_from(Machine& m, GuestAddr pc) {
  m.reset(pc);
  m.state.guest_NRADDR = 0xdead;
  REQUIRE(m.run().reason == StopReason::Syscall);
  return m.state.guest_RAX;
}

TEST_CASE("redirections apply at block entry, not after a no-redirect call") {
  Machine m;
  load_redirect_program(m);
  CHECK(run_from(m, kA) == 1);

  m.executor.add_redirect(kA, kB, RedirectKind::Replace);
  CHECK(run_from(m, kA) == 2);
  CHECK(m.state.guest_NRADDR == 0);
  CHECK(run_from(m, kC) == 1);  // the no-redirect call reaches kA itself

  m.executor.add_redirect(kA, kB, RedirectKind::Wrap);
  CHECK(run_from(m, kA) == 2);
  CHECK(m.state.guest_NRADDR == kA);

  m.executor.remove_redirect(kA);
  CHECK(run_from(m, kA) == 1);
}

TEST_CASE("a full code cache is flushed and the count stays exact") {
  ExecutorOptions small;
  small.code_cache_bytes = 64 << 10;
  Machine m(small);
  const int blocks = 3000;
  const GuestAddr base = 0x410000;
  for (int i = 0; i < blocks; ++i)  // add $1,%rax; jmp +7 (next block); pad
    m.load(base + 16 * i, {0x48, 0x83, 0xc0, 0x01, 0xe9, 0x07, 0, 0, 0});
  m.load(base + 16 * blocks, {0x0f, 0x05});
  for (int round = 0; round < 2; ++round) {
    m.reset(base);
    REQUIRE(m.run().reason == StopReason::Syscall);
    CHECK(m.state.guest_RAX == blocks);
    CHECK(m.executor.time() == 2 * blocks + 1);
  }
  CHECK(m.executor.stats().flushes > 0);
}

}  // namespace
}  // namespace unstuck::replay
