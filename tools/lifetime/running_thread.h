// What the access path needs to know about the thread running guest code,
// kept in one constant-initialised struct that a thread switch updates:
// its stable number, its bit in an object's set of threads, and whether it
// is inside an allocation function (the allocator's own accesses to its
// headers and free lists are not the program's).
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {

struct RunningThread {
  ThreadId tid;
  uint32_t number;         // timeline/thread_numbers.h
  uint64_t bit;            // 1 << (number - 1), 0 above thread 64
  // The thread's depth in the preload's thread table (wrapper_protocol.h),
  // in the guest's memory, or a zero of our own while it has no slot.
  const volatile UWord* allocator_depth;
};

extern RunningThread g_running;

// Subscribes to thread switches; call from post_clo_init (the number of
// thread slots depends on --max-threads).
void install_running_thread();

// The running thread `tid` claimed `slot` of the preload's thread table
// at `table` (WRAPPER_CLAIMED_SLOT).
void claimed_slot(ThreadId tid, Addr slot, Addr table);

inline bool running_inside_allocator() { return *g_running.allocator_depth != 0; }

}  // namespace unstuck::lifetime
