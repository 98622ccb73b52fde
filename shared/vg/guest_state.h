// A thread's guest state in place, where generated code reads and writes
// it (VG_(get_shadow_regs_area) copies it).  For the instruction clock,
// whose count lives in the running thread's guest state (clock_pass.h)
// and is read by helpers at every event they time.
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck {

// The guest state of thread `tid` (valid for the whole process: Valgrind
// allocates the thread table once).
VexGuestAMD64State* guest_state_of(ThreadId tid);

}  // namespace unstuck
