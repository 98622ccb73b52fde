// The VEX settings a translation depends on.  Replay must lift guest code
// exactly as the recording did, so the trace carries the recorded settings;
// valgrind_default_config() gives what Valgrind 3.19 uses on this machine
// for the unstuck tools: --tool=none-like defaults with
// --vex-guest-chase=no --vex-iropt-unroll-thresh=0 (the clock's settings,
// see shared/timeline/instruction_clock.cc).
#pragma once

extern "C" {
#include "libvex.h"
}

namespace unstuck::replay {

struct VexConfig {
  VexArchInfo guest_arch;  // hwcaps of the recorded (guest) CPU
  VexAbiInfo abi;
  // iropt level, register-update mode, unrolling, chasing, and
  // guest_max_insns: the length of a full superblock.
  VexControl control;
};

// What Valgrind 3.19 would use here, hwcaps detected as Valgrind detects
// them (coregrind/m_machine.c): amd64 with SSE2 and cmpxchg8b as baseline,
// plus SSE3, SSSE3, CX16, LZCNT, AVX (only with OS support for the YMM
// state at XSAVE offset 576), BMI1, AVX2, RDTSCP, F16C, RDRAND, RDSEED.
//
// Register updates: VexRegUpdUnwindregsAtMemAccess, Valgrind's default and
// the recorder's.  Non-faulting code behaves the same in every mode; only
// the registers visible at a fault differ, and keeping the recorder's mode
// keeps the translations identical to the recorded ones.
VexConfig valgrind_default_config();

// The hwcaps of the CPU running the replayer, for VEX's back end (it may
// use host instructions such as lzcnt when present).
UInt host_hwcaps();

}  // namespace unstuck::replay
