// Matching returns to calls with a shadow call stack per thread, and the
// helpers the instrumented code calls at a traced function's entry and at
// returns.
//
// A frame is pushed at each traced entry with the stack pointer on entry
// (it points at the return address).  A return is a `ret` whose stack
// pointer afterwards is above the top frame's entry stack pointer: it pops
// every frame it passed.  A frame ends by a return when the ret lands on
// its return address with the stack pointer just above that address;
// frames passed any other way (longjmp, an exception's unwinding) are
// counted as unwound.
//
// How control reached an entry tells a new call from a tail call: every
// `call` stores the stack pointer it leaves (g_last_call_sp), and a traced
// entry takes it.  An entry reached by a call pops frames at or below its
// stack pointer (left by longjmp, say, before a new call from the same
// depth); an entry reached by a jump with the top frame's stack pointer is
// that frame's tail call: both frames then end at the one return, which
// yields the result of both.  (A call through the PLT or an untraced
// function's tail call counts as a call: no traced frame is in between.)
//
// The instrumentation checks returns cheaply: it compares the stack
// pointer after every `ret` with one word, the running thread's top-frame
// entry stack pointer (all ones when it has no frames), and calls the
// return helper only when the ret passed it.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"
#include "tools/argdist/function_record.h"

namespace unstuck::argdist {

// The word the return check compares with (see above).
extern uint64_t g_return_watch;
// The stack pointer the last `call` left (0 once a traced entry took it).
extern uint64_t g_last_call_sp;

void install_call_tracker();

// Called by the code of a traced function's first instruction;
// `instructions_left` counts the instructions from it to the end of its
// superblock (see timeline::time_of_instruction).
void on_traced_entry(VexGuestAMD64State* state, FunctionRecord* function,
                     ULong instructions_left);

// Called after a `ret` that passed the top frame; `destination` is where
// it went.
void on_passing_return(VexGuestAMD64State* state, Addr destination);

// At exit: frames still open count as unreturned.
void finish_call_tracker();

}  // namespace unstuck::argdist
