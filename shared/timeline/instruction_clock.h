// The instruction clock inside Valgrind: the "time" of every tool and of
// the recorder.
//
// Time is the number of guest instructions retired so far, over all threads
// (Valgrind runs one thread at a time, so the global count orders every
// event).  An instruction counts once per execution as VEX lifts it: a
// rep-prefixed string instruction counts once per iteration; a faulting
// instruction, or one VEX could not decode, does not count.  The IR that
// keeps the count is clock_pass.h's; this file binds it to Valgrind's core:
// it settles faults from the core's hooks and keeps per-thread totals.
#pragma once

#include <stdint.h>

#include "shared/timeline/thread_numbers.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::timeline {

// Registers the hooks the clock needs (start/stop of client code, signal
// delivery, thread numbering) and turns off VEX chasing and unrolling.
// Call once from the tool's pre_clo_init.
void install();

// Call from post_clo_init: undoes command-line options that would make
// instruction counts wrong (VEX chasing and unrolling), with a message.
void check_translation_settings();

// Appends the clock's statements to a copy of `sb` (translated for
// `closure`) and returns the copy.  Must be the tool's last
// instrumentation pass.
IRSB* add_clock_pass(IRSB* sb, const VgCallbackClosure* closure);

// Guest instructions retired so far, in total and by one thread (see
// thread_numbers.h).
uint64_t now();
// now() for generated code that reads the time (it is the time at the end
// of the running superblock, as now() is), in flat IR added to `sb`; the
// clock pass must follow.
IRExpr* now_expr(IRSB* sb);
uint64_t thread_instructions(ThreadNumber number);

// The time of an instruction of the superblock now running, for helpers
// called from its code.  The clock adds a superblock's whole instruction
// count when the superblock starts, so while instruction k (0-based) of a
// superblock of n runs, now() is its start time + n, and the instruction's
// own time (instructions retired before it) is now() - (n - k).  A tool
// knows n (the IMarks of the superblock it instruments: the clock pass,
// which runs last, counts the same IMarks) and k, and passes n - k to its
// helper as a constant.  Valid only inside a superblock, before any side
// exit is taken.
uint64_t time_of_instruction(uint64_t instructions_left_in_superblock);

}  // namespace unstuck::timeline
