// The host's floating-point control state around generated code.
//
// VEX's code generator assumes the x87 control word 0x027F (all exceptions
// masked, 53-bit precision, round to nearest) and MXCSR 0x1F80 (all masked,
// round to nearest, no flush-to-zero): guest rounding modes are applied per
// operation and put back.  The executor enters that mode once per run (not
// per block: loading control words costs more than a short block) and
// checks on the way out that generated code left it intact, as Valgrind's
// dispatcher does.
#pragma once

#include <stdint.h>

namespace unstuck::replay {

struct FpControl {
  uint16_t x87;
  uint32_t mxcsr;
};

FpControl save_fp_control();
// fninit first: a fault may come in the middle of an x87 sequence of the
// generated code and leave values on the x87 stack.
void restore_fp_control(const FpControl& saved);
void enter_vex_fp_mode();
// Whether the control words are VEX's (MXCSR's status flags may differ).
bool in_vex_fp_mode();

}  // namespace unstuck::replay
