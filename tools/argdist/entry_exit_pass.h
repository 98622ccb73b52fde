// argdist's instrumentation pass.  Before the first instruction of every
// traced function: for a function whose calls are logged (call_log.h), a
// few stores that log the entry and push its stack pointer onto the
// mirror, with a guarded call to the slow path when the entry is not a
// plain push and to the replay when the log is full; for the others, a
// call to the slow path.  After every `ret`: a check of the stack pointer
// against the top frame (call_tracker.h) with a guarded helper call when
// the ret left it.  After every `call`: a store of the stack pointer, which
// tells calls from tail calls.  Runs before the recorder's pass and the
// clock pass (which must be last).
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::argdist {

IRSB* add_entry_exit_pass(IRSB* sb, const VgCallbackClosure* closure);

}  // namespace unstuck::argdist
