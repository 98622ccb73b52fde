#include "gdbstub/replay/fp_mode.h"

namespace unstuck::replay {
namespace {

constexpr uint16_t kVexX87Control = 0x027F;
constexpr uint32_t kVexMxcsr = 0x1F80;
constexpr uint32_t kMxcsrStatusFlags = 0x3F;

void load_x87_control(uint16_t value) {
  __asm__ volatile("fldcw %0" : : "m"(value));
}

void load_mxcsr(uint32_t value) { __asm__ volatile("ldmxcsr %0" : : "m"(value)); }

}  // namespace

FpControl save_fp_control() {
  FpControl saved;
  __asm__ volatile("fnstcw %0" : "=m"(saved.x87));
  __asm__ volatile("stmxcsr %0" : "=m"(saved.mxcsr));
  return saved;
}

void enter_vex_fp_mode(const FpControl& saved) {
  if (saved.x87 != kVexX87Control) load_x87_control(kVexX87Control);
  if ((saved.mxcsr & ~kMxcsrStatusFlags) != kVexMxcsr) load_mxcsr(kVexMxcsr);
}

void leave_vex_fp_mode(const FpControl& saved, const FpControl& now) {
  if (saved.x87 != now.x87) load_x87_control(saved.x87);
  // The host's status flags come back too: generated code may have set some.
  if (saved.mxcsr != now.mxcsr) load_mxcsr(saved.mxcsr);
}

void reset_to_vex_fp_mode() {
  __asm__ volatile("fninit");
  load_x87_control(kVexX87Control);
  load_mxcsr(kVexMxcsr);
}

bool is_vex_fp_mode(const FpControl& control) {
  return control.x87 == kVexX87Control &&
         (control.mxcsr & ~kMxcsrStatusFlags) == kVexMxcsr;
}

}  // namespace unstuck::replay
