/* unstuck/lifetime.h: client requests of `valgrind --tool=lifetime`.
 *
 * A program with an allocator of its own (a pool, an arena, a slab) tells
 * the lifetime tool about the blocks it hands out, so that they become
 * shadow objects like malloc's: with an allocation site, a lifetime, read
 * and write counts and misuse reports.
 *
 *   #include <unstuck/lifetime.h>
 *
 *   void* p = pool_take(pool, 64);
 *   UNSTUCK_LIFETIME_ALLOCATED(p, 64);       // p is a new 64-byte object
 *   ...
 *   void* q = pool_grow(pool, p, 128);
 *   UNSTUCK_LIFETIME_RESIZED(p, q, 128);     // p now lives at q (or q == p)
 *   ...
 *   UNSTUCK_LIFETIME_FREED(q);               // just before pool_give(pool, q)
 *
 * The allocation site is the stack of the request.  Outside Valgrind, or
 * under another tool, each request costs a few instructions and does
 * nothing.  Valgrind's own VALGRIND_MALLOCLIKE_BLOCK, VALGRIND_FREELIKE_BLOCK
 * and VALGRIND_RESIZEINPLACE_BLOCK (valgrind/valgrind.h) are understood too.
 *
 * Defining UNSTUCK_LIFETIME_CODES_ONLY before including this header gives
 * the request codes alone, without valgrind.h (the tool itself does so).
 */
#ifndef UNSTUCK_LIFETIME_H
#define UNSTUCK_LIFETIME_H

/* Tool requests start at Valgrind's VG_USERREQ_TOOL_BASE('L', 'T'). */
#define UNSTUCK_LIFETIME_REQUEST_BASE \
  ((unsigned int)((('L' & 0xff) << 24) | (('T' & 0xff) << 16)))

enum UnstuckLifetimeRequest {
  /* For programs: custom allocators. */
  UNSTUCK_LIFETIME_REQ_ALLOCATED = UNSTUCK_LIFETIME_REQUEST_BASE + 0x00,
  UNSTUCK_LIFETIME_REQ_FREED = UNSTUCK_LIFETIME_REQUEST_BASE + 0x01,
  UNSTUCK_LIFETIME_REQ_RESIZED = UNSTUCK_LIFETIME_REQUEST_BASE + 0x02,
  /* Reserved for the tool's own wrappers of malloc, new and the rest
     (vgpreload_lifetime); programs must not use them. */
  UNSTUCK_LIFETIME_REQ_WRAPPER_FIRST = UNSTUCK_LIFETIME_REQUEST_BASE + 0x100,
  UNSTUCK_LIFETIME_REQ_WRAPPER_LAST = UNSTUCK_LIFETIME_REQUEST_BASE + 0x1ff
};

#ifndef UNSTUCK_LIFETIME_CODES_ONLY
#include <valgrind/valgrind.h>

/* [addr, addr + size) is a new object. */
#define UNSTUCK_LIFETIME_ALLOCATED(addr, size)                              \
  VALGRIND_DO_CLIENT_REQUEST_STMT(UNSTUCK_LIFETIME_REQ_ALLOCATED, (addr),   \
                                  (size), 0, 0, 0)

/* The object starting at addr dies: call it before the memory is reused. */
#define UNSTUCK_LIFETIME_FREED(addr)                                        \
  VALGRIND_DO_CLIENT_REQUEST_STMT(UNSTUCK_LIFETIME_REQ_FREED, (addr), 0, 0, \
                                  0, 0)

/* The object starting at old_addr now has new_size bytes at new_addr
   (new_addr == old_addr for a resize in place), like realloc. */
#define UNSTUCK_LIFETIME_RESIZED(old_addr, new_addr, new_size)             \
  VALGRIND_DO_CLIENT_REQUEST_STMT(UNSTUCK_LIFETIME_REQ_RESIZED, (old_addr), \
                                  (new_addr), (new_size), 0, 0)

#endif /* UNSTUCK_LIFETIME_CODES_ONLY */
#endif /* UNSTUCK_LIFETIME_H */
