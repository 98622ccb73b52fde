#include "gdbstub/replay/vex_config.h"

#include <cpuid.h>

#include <cstdint>

#include "shared/rt/check.h"

namespace unstuck::replay {
namespace {

struct CpuidRegs {
  uint32_t eax, ebx, ecx, edx;
};

CpuidRegs cpuid(uint32_t leaf, uint32_t subleaf = 0) {
  CpuidRegs r{};
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

bool bit(uint32_t word, int n) { return (word >> n) & 1; }

uint64_t xgetbv0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t{hi} << 32) | lo;
}

// AVX counts only when the OS saves the YMM state (XCR0 bits 0-2) and the
// upper halves sit at offset 576 of the XSAVE area, 256 bytes long: VEX's
// xsave/xrstor assume that layout.
bool os_supports_avx(const CpuidRegs& leaf1) {
  const bool avx_osxsave_xsave =
      bit(leaf1.ecx, 28) && bit(leaf1.ecx, 27) && bit(leaf1.ecx, 26);
  if (!avx_osxsave_xsave) return false;
  if ((xgetbv0() & 7) != 7) return false;
  CpuidRegs ymm = cpuid(0xd, 2);
  return ymm.ebx == 576 && ymm.eax == 256;
}

UInt detect_hwcaps() {
  const uint32_t max_basic = cpuid(0).eax;
  UNSTUCK_CHECK_MSG(max_basic >= 1, "this CPU has no CPUID leaf 1");
  const uint32_t max_extended = cpuid(0x80000000).eax;
  const CpuidRegs leaf1 = cpuid(1);
  UNSTUCK_CHECK_MSG(bit(leaf1.edx, 8), "VEX needs cmpxchg8b");

  const bool avx = os_supports_avx(leaf1);
  const CpuidRegs ext1 =
      max_extended >= 0x80000001 ? cpuid(0x80000001) : CpuidRegs{};
  const CpuidRegs leaf7 = avx && max_basic >= 7 ? cpuid(7) : CpuidRegs{};

  UInt caps = 0;
  if (bit(leaf1.ecx, 0)) caps |= VEX_HWCAPS_AMD64_SSE3;
  if (bit(leaf1.ecx, 9)) caps |= VEX_HWCAPS_AMD64_SSSE3;
  if (bit(leaf1.ecx, 13)) caps |= VEX_HWCAPS_AMD64_CX16;
  if (bit(ext1.ecx, 5)) caps |= VEX_HWCAPS_AMD64_LZCNT;
  if (bit(ext1.edx, 27)) caps |= VEX_HWCAPS_AMD64_RDTSCP;
  if (avx) caps |= VEX_HWCAPS_AMD64_AVX;
  if (bit(leaf7.ebx, 3)) caps |= VEX_HWCAPS_AMD64_BMI;
  if (bit(leaf7.ebx, 5)) caps |= VEX_HWCAPS_AMD64_AVX2;
  // Valgrind offers these three only on top of AVX.
  if (avx && bit(leaf1.ecx, 29)) caps |= VEX_HWCAPS_AMD64_F16C;
  if (avx && bit(leaf1.ecx, 30)) caps |= VEX_HWCAPS_AMD64_RDRAND;
  if (bit(leaf7.ebx, 18)) caps |= VEX_HWCAPS_AMD64_RDSEED;
  return caps;
}

}  // namespace

UInt host_hwcaps() {
  static const UInt caps = detect_hwcaps();
  return caps;
}

VexConfig valgrind_default_config() {
  VexConfig config;
  LibVEX_default_VexArchInfo(&config.guest_arch);
  config.guest_arch.endness = VexEndnessLE;
  config.guest_arch.hwcaps = host_hwcaps();

  LibVEX_default_VexAbiInfo(&config.abi);
  config.abi.guest_stack_redzone_size = 128;
  config.abi.guest_amd64_assume_fs_is_const = True;
  config.abi.guest_amd64_assume_gs_is_const = True;

  LibVEX_default_VexControl(&config.control);
  config.control.iropt_register_updates_default =
      VexRegUpdUnwindregsAtMemAccess;
  config.control.guest_chase = False;
  config.control.iropt_unroll_thresh = 0;
  return config;
}

}  // namespace unstuck::replay
