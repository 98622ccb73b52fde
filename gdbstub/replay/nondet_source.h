// Where replayed code gets what cannot be recomputed: the results of the
// non-deterministic instructions (rdtsc, rdtscp, rdrand, rdseed, sgdt/sidt
// and cpuid).  Under Valgrind these are VEX "dirty helpers"; the translator
// replaces each call by a call to this interface (see nondet_helpers.h), so
// the replayer answers with what the recording logged.
#pragma once

#include <stdint.h>

#include <array>

extern "C" {
#include "libvex_basictypes.h"
#include "libvex_guest_amd64.h"
}

namespace unstuck::replay {

struct RdtscpResult {
  uint64_t tsc;
  uint32_t aux;  // IA32_TSC_AUX, goes to the guest's %ecx
};

// Which of VEX's CPUID helpers the guest code was translated to call (it
// depends on the guest hwcaps), with that helper's extra arguments.
enum class CpuidVariant { Baseline, Sse3Cx16, Sse42Cx16, AvxCx16, Avx2 };

struct CpuidCall {
  CpuidVariant variant;
  uint64_t has_f16c, has_rdrand, has_rdseed;  // AvxCx16 and Avx2 only
};

class NondetSource {
 public:
  virtual ~NondetSource() = default;

  virtual uint64_t rdtsc() = 0;
  virtual RdtscpResult rdtscp() = 0;
  // VEX's helper format: the 32 random bits in bits 31:0, the carry flag
  // (success) in bit 32.
  virtual uint64_t rdrand() = 0;
  virtual uint64_t rdseed() = 0;
  // Writes the guest's RAX, RBX, RCX and RDX as the recording saw them for
  // the leaf in RAX / subleaf in RCX of `state`.
  virtual void cpuid(VexGuestAMD64State& state, const CpuidCall& call) = 0;
  // The 10 bytes sgdt (op 0) or sidt (op 1) stores.
  virtual std::array<uint8_t, 10> sxdt(uint64_t op) = 0;
};

// Answers as Valgrind would on this machine, by calling VEX's own helpers:
// for tests and for running code that was never recorded.
class HostNondetSource final : public NondetSource {
 public:
  uint64_t rdtsc() override;
  RdtscpResult rdtscp() override;
  uint64_t rdrand() override;
  uint64_t rdseed() override;
  void cpuid(VexGuestAMD64State& state, const CpuidCall& call) override;
  std::array<uint8_t, 10> sxdt(uint64_t op) override;
};

}  // namespace unstuck::replay
