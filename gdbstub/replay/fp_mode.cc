#include "gdbstub/replay/fp_mode.h"

namespace unstuck::replay {
namespace {

constexpr uint16_t kVexX87Control = 0x027F;
constexpr uint32_t kVexMxcsr = 0x1F80;
constexpr uint32_t kMxcsrStatusFlags = 0x3F;

}  // namespace

FpControl save_fp_control() {
  FpControl saved;
  __asm__ volatile("fnstcw %0" : "=m"(saved.x87));
  __asm__ volatile("stmxcsr %0" : "=m"(saved.mxcsr));
  return saved;
}

void restore_fp_control(const FpControl& saved) {
  __asm__ volatile("fninit");
  __asm__ volatile("fldcw %0" : : "m"(saved.x87));
  __asm__ volatile("ldmxcsr %0" : : "m"(saved.mxcsr));
}

void enter_vex_fp_mode() { restore_fp_control({kVexX87Control, kVexMxcsr}); }

bool in_vex_fp_mode() {
  FpControl now = save_fp_control();
  return now.x87 == kVexX87Control &&
         (now.mxcsr & ~kMxcsrStatusFlags) == kVexMxcsr;
}

}  // namespace unstuck::replay
