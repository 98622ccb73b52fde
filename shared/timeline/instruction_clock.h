// The instruction clock: the "time" of every tool and of the recorder.
//
// Time is the number of guest instructions retired so far, over all threads
// (Valgrind runs one thread at a time, so the global count orders every
// event).  An instruction counts once per execution as VEX lifts it: a
// rep-prefixed string instruction counts once per iteration; a faulting
// instruction, or one VEX could not decode, does not count.
//
// The clock pass adds a few IR statements per superblock: the superblock's
// full length is added on entry, the unexecuted tail is taken back on a side
// exit, and a marker says "inside a superblock" so that a fault in the middle
// (Valgrind leaves the translation by longjmp) is settled from the guest
// program counter when the thread stops running client code.
//
// The clock pass must be the *last* pass of a tool's instrumentation: its
// loads and stores address unstuck's own variables, not guest memory, and an
// analysis pass must never see them.
#pragma once

#include <stdint.h>

#include "shared/timeline/thread_numbers.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::timeline {

// Registers the hooks the clock needs (start/stop of client code, thread
// numbering).  Call
// once from the tool's pre_clo_init.
void install();

// Call from post_clo_init: undoes command-line options that would make
// instruction counts wrong (VEX chasing and unrolling), with a message.
void check_translation_settings();

// Appends the clock's statements to a copy of `sb` and returns the copy.
IRSB* add_clock_pass(IRSB* sb);

// Guest instructions retired so far, in total and by one thread (see
// thread_numbers.h).
uint64_t now();
uint64_t thread_instructions(ThreadNumber number);

}  // namespace unstuck::timeline
