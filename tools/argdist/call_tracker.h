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
// `call` stores the stack pointer it leaves (g_call_log.last_call_sp,
// call_log.h), and a traced entry takes it.  An entry reached by a call pops frames at or below its
// stack pointer (left by longjmp, say, before a new call from the same
// depth); an entry reached by a jump with the top frame's stack pointer is
// that frame's tail call: both frames then end at the one return, which
// yields the result of both.  (A call through the PLT or an untraced
// function's tail call counts as a call: no traced frame is in between.)
//
// The instrumentation checks returns cheaply: it compares the stack
// pointer after every `ret` with one word, the running thread's top-frame
// entry stack pointer (g_call_log.return_watch; all ones when it has no
// frames), and calls the return helper only when the ret passed it.
//
// Most entries and returns are not handled at once but logged by the
// generated code and replayed later, in order, by the same logic
// (call_log.h); the frame stack here is then behind the generated code's
// copy of the stack pointers until the replay.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"
#include "tools/argdist/function_record.h"

namespace unstuck::argdist {

void install_call_tracker();

// Whether the function's calls go through the call log (call_log.h):
// nothing about them must be taken at the moment of the call.  The others
// take the slow path: on_traced_entry at every entry, and the log replayed
// at their return.
bool logs_calls(const FunctionRecord& function);
// Words of the function's logged entries, and how many of them are xmm
// registers' low halves (after the header and the six integer registers).
uint32_t entry_words(const FunctionRecord& function);
uint32_t sse_words(const FunctionRecord& function);

// The slow path of a traced entry, called by the code of a traced
// function's first instruction (for a logged function, only when the entry
// is not a plain push: see entry_exit_pass.cc); `instructions_left` counts
// the instructions from it to the end of its superblock (see
// timeline::time_of_instruction).  Replays the log first.
void on_traced_entry(VexGuestAMD64State* state, FunctionRecord* function,
                     ULong instructions_left);

// Called after a `ret` that passed the top frame; `destination` is where
// it went.  Logs the return (the stack pointer and the result registers),
// pops the frames it passed off the mirror, and replays the log when one
// of them asked for it or when the log is full.
void on_passing_return(VexGuestAMD64State* state, Addr destination);

// Replays the log (when it is full, and before the aggregates are read).
void replay_call_log();

// At exit: frames still open count as unreturned.
void finish_call_tracker();

}  // namespace unstuck::argdist
