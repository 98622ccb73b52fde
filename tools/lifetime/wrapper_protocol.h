/* What the lifetime tool's wrappers of malloc, new and the rest
 * (preload/allocation_wrappers.c, running on the guest CPU) tell the tool
 * through client requests.  C, shared by the wrappers and the tool.
 *
 * The wrappers let the program's own allocator run as guest code, and
 * report around it:
 *   - CLAIMED_SLOT(slot): a thread took a slot of the wrappers' thread
 *     table (below) for itself, the first time it called an allocation
 *     function (or after its slot went to another thread).  The tool reads
 *     the slot's depth to ignore the allocator's own accesses (its headers,
 *     the free lists it keeps inside freed blocks).
 *   - ALLOCATED(block, size, kind, alignment): after an allocation function
 *     returned a block.
 *   - FREEING(block, kind, size, alignment): before a deallocation function
 *     runs (sized and aligned deletes pass the size and alignment given).
 *   - REALLOC_BEGIN(old, size), REALLOC_END(old, size, result): around
 *     realloc and reallocarray; old may be null.
 * Only the outermost call reports: operator new calling malloc is one
 * allocation, by new.
 *
 * The thread table lives in the preload's own memory, not in thread-local
 * storage: a TLS block of the preload's would make every thread's dtv one
 * entry longer, an allocation the program would not make without the tool.
 * A thread's slot is found from its thread pointer (%fs:0) by open
 * addressing from thread_slot_hash(); slots are never emptied, and when
 * all are taken a slot whose thread is outside the allocator is taken over.
 */
#ifndef UNSTUCK_LIFETIME_WRAPPER_PROTOCOL_H
#define UNSTUCK_LIFETIME_WRAPPER_PROTOCOL_H

#define UNSTUCK_LIFETIME_CODES_ONLY
#include "include/unstuck/lifetime.h"
#undef UNSTUCK_LIFETIME_CODES_ONLY

enum WrapperRequest {
  WRAPPER_CLAIMED_SLOT = UNSTUCK_LIFETIME_REQ_WRAPPER_FIRST,
  WRAPPER_ALLOCATED,
  WRAPPER_FREEING,
  WRAPPER_REALLOC_BEGIN,
  WRAPPER_REALLOC_END
};

/* ---- The thread table -------------------------------------------------- */

#define WRAPPER_THREAD_SLOTS_LOG2 12
#define WRAPPER_THREAD_SLOTS (1u << WRAPPER_THREAD_SLOTS_LOG2)
/* Wrapper frames remembered per thread: deeper nesting still counts. */
#define WRAPPER_REMEMBERED_FRAMES 6

struct WrapperThreadSlot {
  unsigned long thread; /* the thread pointer, %fs:0; 0: a free slot */
  unsigned long depth;  /* allocation functions the thread is inside */
  unsigned long frames[WRAPPER_REMEMBERED_FRAMES]; /* their wrappers' frames */
};

/* Where a thread's search for its slot starts. */
static inline unsigned long thread_slot_hash(unsigned long thread) {
  return (thread * 0x9E3779B97F4A7C15ull) >> (64 - WRAPPER_THREAD_SLOTS_LOG2);
}

/* Which function made a block: the families matter for mismatch checks
   (a block from new[] must go to delete[]). */
enum AllocationKind {
  ALLOCATED_BY_MALLOC = 0,
  ALLOCATED_BY_CALLOC,
  ALLOCATED_BY_REALLOC,
  ALLOCATED_BY_MEMALIGN, /* memalign and aligned_alloc (one function in glibc) */
  ALLOCATED_BY_POSIX_MEMALIGN,
  ALLOCATED_BY_VALLOC,
  ALLOCATED_BY_NEW,
  ALLOCATED_BY_NEW_ARRAY,
  ALLOCATED_BY_NEW_ALIGNED,
  ALLOCATED_BY_NEW_ARRAY_ALIGNED,
  ALLOCATED_BY_CLIENT_REQUEST, /* a custom allocator's block */
  ALLOCATION_KIND_COUNT
};

enum DeallocationKind {
  FREED_BY_FREE = 0,
  FREED_BY_REALLOC, /* realloc(p, 0) */
  FREED_BY_DELETE,
  FREED_BY_DELETE_ARRAY,
  FREED_BY_DELETE_ALIGNED,
  FREED_BY_DELETE_ARRAY_ALIGNED,
  FREED_BY_CLIENT_REQUEST,
  DEALLOCATION_KIND_COUNT
};

#endif /* UNSTUCK_LIFETIME_WRAPPER_PROTOCOL_H */
