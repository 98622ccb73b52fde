// What the engine's unit tests run guest code on: guest memory, an engine,
// one thread's registers, and a NondetSource with fixed answers.
#pragma once

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "gdbstub/replay/executor.h"

extern "C" {
#include "libvex_guest_amd64.h"
}

namespace unstuck::replay::testing {

class FakeNondet final : public NondetSource {
 public:
  uint64_t rdtsc() override { return 0x1122334455667788ULL; }
  RdtscpResult rdtscp() override { return {0x0102030405060708ULL, 7}; }
  uint64_t rdrand() override { return (uint64_t{1} << 32) | 0x12345678; }
  uint64_t rdseed() override { return 0; }  // "no entropy": carry clear
  void cpuid(VexGuestAMD64State& st, const CpuidCall& call) override {
    last_leaf = st.guest_RAX;
    variant = call.variant;
    st.guest_RAX = 0xaaaa;
    st.guest_RBX = 0xbbbb;
    st.guest_RCX = 0xcccc;
    st.guest_RDX = 0xdddd;
  }
  std::array<uint8_t, 10> sxdt(uint64_t) override { return {}; }

  uint64_t last_leaf = ~uint64_t{0};
  CpuidVariant variant = CpuidVariant::Baseline;
};

struct Machine {
  explicit Machine(ExecutorOptions options = {})
      : executor(valgrind_default_config(), memory, nondet, options) {
    reset(0);
  }

  void load(GuestAddr at, std::initializer_list<uint8_t> code) {
    std::vector<uint8_t> bytes(code);
    REQUIRE(memory.write(at, bytes.data(), bytes.size()));
  }

  // Fresh registers at `pc`, time 0.
  void reset(GuestAddr pc) {
    LibVEX_GuestAMD64_initialise(&state);
    state.guest_RSP = 0x7ff000;
    state.guest_RIP = pc;
    executor.set_time(0);
  }

  Stop run(uint64_t deadline = ~uint64_t{0}) {
    return executor.run(state, deadline);
  }

  GuestMemory memory;
  FakeNondet nondet;
  Executor executor;
  VexGuestAMD64State state;
};

}  // namespace unstuck::replay::testing
