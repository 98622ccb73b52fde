#include "gdbstub/replay/nondet_source.h"

#include "shared/vex/amd64_dirty_helpers.h"
#include "shared/rt/check.h"

namespace unstuck::replay {

uint64_t HostNondetSource::rdtsc() { return amd64g_dirtyhelper_RDTSC(); }

RdtscpResult HostNondetSource::rdtscp() {
  VexGuestAMD64State scratch{};
  amd64g_dirtyhelper_RDTSCP(&scratch);
  return {(scratch.guest_RDX << 32) | (scratch.guest_RAX & 0xffffffffu),
          static_cast<uint32_t>(scratch.guest_RCX)};
}

uint64_t HostNondetSource::rdrand() { return amd64g_dirtyhelper_RDRAND(); }

uint64_t HostNondetSource::rdseed() { return amd64g_dirtyhelper_RDSEED(); }

void HostNondetSource::cpuid(VexGuestAMD64State& state, const CpuidCall& call) {
  switch (call.variant) {
    case CpuidVariant::Baseline:
      amd64g_dirtyhelper_CPUID_baseline(&state);
      return;
    case CpuidVariant::Sse3Cx16:
      amd64g_dirtyhelper_CPUID_sse3_and_cx16(&state);
      return;
    case CpuidVariant::Sse42Cx16:
      amd64g_dirtyhelper_CPUID_sse42_and_cx16(&state);
      return;
    case CpuidVariant::AvxCx16:
      amd64g_dirtyhelper_CPUID_avx_and_cx16(&state, call.has_f16c,
                                            call.has_rdrand, call.has_rdseed);
      return;
    case CpuidVariant::Avx2:
      amd64g_dirtyhelper_CPUID_avx2(&state, call.has_f16c, call.has_rdrand,
                                    call.has_rdseed);
      return;
  }
  UNSTUCK_UNREACHABLE("unknown CPUID variant");
}

std::array<uint8_t, 10> HostNondetSource::sxdt(uint64_t op) {
  std::array<uint8_t, 10> bytes{};
  amd64g_dirtyhelper_SxDT(bytes.data(), op);
  return bytes;
}

}  // namespace unstuck::replay
