// Stable thread numbers: 1 for the main thread, then 2, 3, ... in creation
// order, never reused.  Valgrind's ThreadIds are slots that a new thread
// takes over once an old one has exited, so they cannot name a thread in a
// report or a trace.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::timeline {

using ThreadNumber = uint32_t;

// Registers the thread-creation hook.  Call once from pre_clo_init.
void install_thread_numbers();

// The number of the thread now in slot `tid`.
ThreadNumber thread_number(ThreadId tid);

// How many threads have existed so far.
ThreadNumber threads_created();

}  // namespace unstuck::timeline
