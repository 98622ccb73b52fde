// argdist's instrumentation pass: a helper call before the first
// instruction of every traced function; after every `ret` a check of the
// stack pointer against the top frame (call_tracker.h) with a guarded
// helper call when the ret left it; after every `call` a store of the stack
// pointer, which tells calls from tail calls.  Runs before the recorder's pass and
// the clock pass (which must be last).
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::argdist {

IRSB* add_entry_exit_pass(IRSB* sb, const VgCallbackClosure* closure);

}  // namespace unstuck::argdist
