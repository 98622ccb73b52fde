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

// Around a run: enter VEX's mode from the host's `saved` one and go back,
// loading only the control words that differ (each load costs tens of
// cycles; a one-instruction run must stay cheap).
void enter_vex_fp_mode(const FpControl& saved);
// `now`: save_fp_control() at the end of the run.
void leave_vex_fp_mode(const FpControl& saved, const FpControl& now);

// After a fault in generated code, which may have left values on the x87
// stack: an empty stack (fninit) and VEX's control words.
void reset_to_vex_fp_mode();

// Whether the control words are VEX's (MXCSR's status flags may differ).
bool is_vex_fp_mode(const FpControl& control);

}  // namespace unstuck::replay
