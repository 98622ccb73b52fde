/* vgpreload_lifetime: wrappers of every allocation and deallocation
 * function, loaded into the program by Valgrind beside the lifetime tool.
 *
 * Each wrapper calls the program's own function (so glibc's malloc, or
 * whatever allocator the program has, runs as guest code: its behaviour is
 * the program's, and a recorded run replays exactly) and tells the tool
 * what happened through client requests (wrapper_protocol.h).
 *
 * Wrappers match the functions by name in every object that exports them
 * (Valgrind's "somalloc" soname synonym, as its own malloc replacement
 * does) and in libc, libstdc++ and libc++ by soname, so that
 * --soname-synonyms=somalloc=... narrows the first set only.  Where several
 * match one address (glibc's aligned_alloc is memalign, cfree is free) the
 * equivalence tags in the names tell Valgrind they behave alike.
 */
#include <stddef.h>

#include "shared/vg/preload_api.h"
#include "tools/lifetime/wrapper_protocol.h"

/* ---- The thread's depth inside allocation functions ---------------------- */

#define BODY_HELPER static inline __attribute__((always_inline))

/* The thread table (wrapper_protocol.h), in the preload's zeroed data. */
static struct WrapperThreadSlot g_slots[WRAPPER_THREAD_SLOTS];

BODY_HELPER unsigned long current_thread(void) {
  unsigned long thread;
  __asm__("mov %%fs:0, %0" : "=r"(thread));
  return thread;
}

/* Takes `slot` if it still belongs to `owner`, and tells the tool. */
static int claim(struct WrapperThreadSlot* slot, unsigned long owner,
                 unsigned long thread) {
  if (!__atomic_compare_exchange_n(&slot->thread, &owner, thread, 0,
                                   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
    return 0;
  slot->depth = 0;
  VALGRIND_DO_CLIENT_REQUEST_STMT(WRAPPER_CLAIMED_SLOT, slot, g_slots,
                                  WRAPPER_THREAD_SLOTS, 0, 0);
  return 1;
}

static struct WrapperThreadSlot* slot_taken_over(unsigned long thread) {
  for (unsigned long i = 0; i < WRAPPER_THREAD_SLOTS; ++i) {
    struct WrapperThreadSlot* slot = &g_slots[i];
    unsigned long owner = slot->thread;
    if (slot->depth == 0 && claim(slot, owner, thread)) return slot;
  }
  return NULL;  /* every thread inside the allocator: untracked */
}

BODY_HELPER struct WrapperThreadSlot* thread_slot(void) {
  const unsigned long thread = current_thread();
  unsigned long i = thread_slot_hash(thread);
  for (unsigned long n = 0; n < WRAPPER_THREAD_SLOTS; ++n) {
    struct WrapperThreadSlot* slot = &g_slots[i];
    if (slot->thread == thread) return slot;
    if (slot->thread == 0 && claim(slot, 0, thread)) return slot;
    i = (i + 1) & (WRAPPER_THREAD_SLOTS - 1);
  }
  return slot_taken_over(thread);
}

/* Forgets the calls whose wrapper frames lie at or below `frame`: the stack
   grows down, so they have ended, normally or because operator new threw
   through them (no cleanup runs in C without unwinding support, which a
   preload cannot link: the next call heals the count instead). */
BODY_HELPER void forget_frames_below(struct WrapperThreadSlot* t, UWord frame) {
  while (t->depth > 0 && t->depth <= WRAPPER_REMEMBERED_FRAMES &&
         t->frames[t->depth - 1] <= frame)
    --t->depth;
}

/* Enters an allocation function; true when this call is the outermost one,
   the one that reports (operator new calling malloc is one allocation). */
BODY_HELPER int enter_allocator(struct WrapperThreadSlot* t, UWord frame) {
  if (t == NULL) return 1;
  forget_frames_below(t, frame);
  if (t->depth < WRAPPER_REMEMBERED_FRAMES) t->frames[t->depth] = frame;
  return t->depth++ == 0;
}

BODY_HELPER void leave_allocator(struct WrapperThreadSlot* t, UWord frame) {
  if (t == NULL) return;
  if (t->depth > WRAPPER_REMEMBERED_FRAMES)
    --t->depth;
  else
    forget_frames_below(t, frame);
}

/* Each body runs between these: `outermost` says whether to report. */
#define ENTER_ALLOCATOR(outermost)                                  \
  const UWord frame_ = (UWord)__builtin_frame_address(0);           \
  struct WrapperThreadSlot* const slot_ = thread_slot();            \
  const int outermost = enter_allocator(slot_, frame_)
#define LEAVE_ALLOCATOR() leave_allocator(slot_, frame_)

/* ---- Reports ------------------------------------------------------------- */

static inline void report_allocated(void* block, UWord size, int kind,
                                    UWord alignment) {
  if (block != NULL)
    VALGRIND_DO_CLIENT_REQUEST_STMT(WRAPPER_ALLOCATED, block, size, kind,
                                    alignment, 0);
}

static inline void report_freeing(void* block, int kind, UWord size,
                                  UWord alignment) {
  if (block != NULL)
    VALGRIND_DO_CLIENT_REQUEST_STMT(WRAPPER_FREEING, block, kind, size,
                                    alignment, 0);
}

/* ---- The bodies, one per shape of function ------------------------------- */

/* Inlined into each wrapper, so that the frame address is the wrapper's. */
#define BODY static inline __attribute__((always_inline))

BODY void* allocate_1(OrigFn fn, UWord size, int kind) {
  ENTER_ALLOCATOR(outermost);
  void* block;
  CALL_FN_W_W(block, fn, size);
  LEAVE_ALLOCATOR();
  if (outermost) report_allocated(block, size, kind, 0);
  return block;
}

/* new(size, nothrow), new(size, align): one extra argument passed on. */
BODY void* allocate_2(OrigFn fn, UWord size, UWord extra, int kind,
                      UWord alignment) {
  ENTER_ALLOCATOR(outermost);
  void* block;
  CALL_FN_W_WW(block, fn, size, extra);
  LEAVE_ALLOCATOR();
  if (outermost) report_allocated(block, size, kind, alignment);
  return block;
}

/* new(size, align, nothrow). */
BODY void* allocate_3(OrigFn fn, UWord size, UWord alignment, UWord nothrow,
                      int kind) {
  ENTER_ALLOCATOR(outermost);
  void* block;
  CALL_FN_W_WWW(block, fn, size, alignment, nothrow);
  LEAVE_ALLOCATOR();
  if (outermost) report_allocated(block, size, kind, alignment);
  return block;
}

BODY void* allocate_zeroed(OrigFn fn, UWord count, UWord size) {
  ENTER_ALLOCATOR(outermost);
  void* block;
  CALL_FN_W_WW(block, fn, count, size);
  LEAVE_ALLOCATOR();
  /* calloc fails when count * size overflows: no block to report then. */
  if (outermost) report_allocated(block, count * size, ALLOCATED_BY_CALLOC, 0);
  return block;
}

BODY void* allocate_aligned(OrigFn fn, UWord alignment, UWord size, int kind) {
  ENTER_ALLOCATOR(outermost);
  void* block;
  CALL_FN_W_WW(block, fn, alignment, size);
  LEAVE_ALLOCATOR();
  if (outermost) report_allocated(block, size, kind, alignment);
  return block;
}

BODY int allocate_posix_aligned(OrigFn fn, void** out, UWord alignment,
                                UWord size) {
  ENTER_ALLOCATOR(outermost);
  UWord error;
  CALL_FN_W_WWW(error, fn, out, alignment, size);
  LEAVE_ALLOCATOR();
  if (outermost && (int)error == 0)
    report_allocated(*out, size, ALLOCATED_BY_POSIX_MEMALIGN, alignment);
  return (int)error;
}

/* realloc(old, size) and reallocarray once its size is known not to
   overflow: the tool hears of the call before (the old block may be given
   back, and reused by another thread, before realloc returns) and after. */
BODY void* reallocate(OrigFn fn, void* old, UWord size, UWord count,
                      UWord element_size, int is_array) {
  ENTER_ALLOCATOR(outermost);
  if (outermost)
    VALGRIND_DO_CLIENT_REQUEST_STMT(WRAPPER_REALLOC_BEGIN, old, size, 0, 0, 0);
  void* block;
  if (is_array)
    CALL_FN_W_WWW(block, fn, old, count, element_size);
  else
    CALL_FN_W_WW(block, fn, old, size);
  LEAVE_ALLOCATOR();
  if (outermost)
    VALGRIND_DO_CLIENT_REQUEST_STMT(WRAPPER_REALLOC_END, old, size, block, 0,
                                    0);
  return block;
}

BODY void* reallocate_array(OrigFn fn, void* old, UWord count, UWord size) {
  UWord total;
  if (__builtin_mul_overflow(count, size, &total)) {
    /* Fails with ENOMEM and leaves the block alone: nothing to report. */
    void* block;
    CALL_FN_W_WWW(block, fn, old, count, size);
    return block;
  }
  return reallocate(fn, old, total, count, size, 1);
}

/* free(p), delete(p): reported before the memory goes back. */
BODY void deallocate_1(OrigFn fn, void* block, int kind) {
  ENTER_ALLOCATOR(outermost);
  if (outermost) report_freeing(block, kind, 0, 0);
  CALL_FN_v_W(fn, block);
  LEAVE_ALLOCATOR();
}

/* delete(p, size), delete(p, align), delete(p, nothrow). */
BODY void deallocate_2(OrigFn fn, void* block, UWord extra, int kind,
                       UWord size, UWord alignment) {
  ENTER_ALLOCATOR(outermost);
  if (outermost) report_freeing(block, kind, size, alignment);
  CALL_FN_v_WW(fn, block, extra);
  LEAVE_ALLOCATOR();
}

/* delete(p, size, align), delete(p, align, nothrow). */
BODY void deallocate_3(OrigFn fn, void* block, UWord second, UWord third,
                       int kind, UWord size, UWord alignment) {
  ENTER_ALLOCATOR(outermost);
  if (outermost) report_freeing(block, kind, size, alignment);
  CALL_FN_v_WWW(fn, block, second, third);
  LEAVE_ALLOCATOR();
}

/* The allocator's introspection functions (malloc_usable_size, malloc_trim,
   mallinfo...) read its headers and free lists: only the depth changes,
   so that the tool takes their accesses for the allocator's. */
BODY UWord inside_0(OrigFn fn) {
  ENTER_ALLOCATOR(outermost);
  (void)outermost;
  UWord result;
  CALL_FN_W_v(result, fn);
  LEAVE_ALLOCATOR();
  return result;
}

BODY UWord inside_1(OrigFn fn, UWord a) {
  ENTER_ALLOCATOR(outermost);
  (void)outermost;
  UWord result;
  CALL_FN_W_W(result, fn, a);
  LEAVE_ALLOCATOR();
  return result;
}

BODY UWord inside_2(OrigFn fn, UWord a, UWord b) {
  ENTER_ALLOCATOR(outermost);
  (void)outermost;
  UWord result;
  CALL_FN_W_WW(result, fn, a, b);
  LEAVE_ALLOCATOR();
  return result;
}

/* ---- The wrappers ---------------------------------------------------------- */

/* A wrapper's name says what it wraps: _vgw<tag>ZU_<soname>_<function>. */
#define WRAPPER(tag, soname, name) VG_WRAP_FUNCTION_EZU(tag, soname, name)

#define ALLOC_1(tag, soname, name, kind)                            \
  void* WRAPPER(tag, soname, name)(UWord size);                     \
  void* WRAPPER(tag, soname, name)(UWord size) {                    \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    return allocate_1(fn, size, kind);                              \
  }

#define ALLOC_NOTHROW(tag, soname, name, kind)                      \
  void* WRAPPER(tag, soname, name)(UWord size, UWord nothrow);      \
  void* WRAPPER(tag, soname, name)(UWord size, UWord nothrow) {     \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    return allocate_2(fn, size, nothrow, kind, 0);                  \
  }

#define ALLOC_ALIGNED_NEW(tag, soname, name, kind)                  \
  void* WRAPPER(tag, soname, name)(UWord size, UWord alignment);    \
  void* WRAPPER(tag, soname, name)(UWord size, UWord alignment) {   \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    return allocate_2(fn, size, alignment, kind, alignment);        \
  }

#define ALLOC_ALIGNED_NEW_NOTHROW(tag, soname, name, kind)                   \
  void* WRAPPER(tag, soname, name)(UWord size, UWord alignment, UWord nt);   \
  void* WRAPPER(tag, soname, name)(UWord size, UWord alignment, UWord nt) {  \
    OrigFn fn;                                                               \
    VALGRIND_GET_ORIG_FN(fn);                                                \
    return allocate_3(fn, size, alignment, nt, kind);                        \
  }

#define FREE_1(tag, soname, name, kind)                             \
  void WRAPPER(tag, soname, name)(void* block);                     \
  void WRAPPER(tag, soname, name)(void* block) {                    \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    deallocate_1(fn, block, kind);                                  \
  }

/* The second argument is a size, an alignment or a nothrow tag. */
#define FREE_SIZED(tag, soname, name, kind)                         \
  void WRAPPER(tag, soname, name)(void* block, UWord size);         \
  void WRAPPER(tag, soname, name)(void* block, UWord size) {        \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    deallocate_2(fn, block, size, kind, size, 0);                   \
  }
#define FREE_ALIGNED(tag, soname, name, kind)                       \
  void WRAPPER(tag, soname, name)(void* block, UWord alignment);    \
  void WRAPPER(tag, soname, name)(void* block, UWord alignment) {   \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    deallocate_2(fn, block, alignment, kind, 0, alignment);         \
  }
#define FREE_NOTHROW(tag, soname, name, kind)                       \
  void WRAPPER(tag, soname, name)(void* block, UWord nothrow);      \
  void WRAPPER(tag, soname, name)(void* block, UWord nothrow) {     \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    deallocate_2(fn, block, nothrow, kind, 0, 0);                   \
  }
#define FREE_SIZED_ALIGNED(tag, soname, name, kind)                          \
  void WRAPPER(tag, soname, name)(void* block, UWord size, UWord alignment); \
  void WRAPPER(tag, soname, name)(void* block, UWord size, UWord alignment) {\
    OrigFn fn;                                                               \
    VALGRIND_GET_ORIG_FN(fn);                                                \
    deallocate_3(fn, block, size, alignment, kind, size, alignment);         \
  }
#define FREE_ALIGNED_NOTHROW(tag, soname, name, kind)                        \
  void WRAPPER(tag, soname, name)(void* block, UWord alignment, UWord nt);   \
  void WRAPPER(tag, soname, name)(void* block, UWord alignment, UWord nt) {  \
    OrigFn fn;                                                               \
    VALGRIND_GET_ORIG_FN(fn);                                                \
    deallocate_3(fn, block, alignment, nt, kind, 0, alignment);              \
  }

/* ---- C: libc and every other object exporting the names ------------------ */

#define C_FUNCTIONS(soname)                                                    \
  ALLOC_1(20010, soname, malloc, ALLOCATED_BY_MALLOC)                          \
  ALLOC_1(20070, soname, valloc, ALLOCATED_BY_VALLOC)                          \
  FREE_1(20080, soname, free, FREED_BY_FREE)                                   \
  FREE_1(20080, soname, cfree, FREED_BY_FREE)                                  \
  void* WRAPPER(20020, soname, calloc)(UWord count, UWord size);               \
  void* WRAPPER(20020, soname, calloc)(UWord count, UWord size) {              \
    OrigFn fn;                                                                 \
    VALGRIND_GET_ORIG_FN(fn);                                                  \
    return allocate_zeroed(fn, count, size);                                   \
  }                                                                            \
  void* WRAPPER(20030, soname, realloc)(void* old, UWord size);                \
  void* WRAPPER(20030, soname, realloc)(void* old, UWord size) {               \
    OrigFn fn;                                                                 \
    VALGRIND_GET_ORIG_FN(fn);                                                  \
    return reallocate(fn, old, size, 0, 0, 0);                                          \
  }                                                                            \
  void* WRAPPER(20040, soname, reallocarray)(void* old, UWord n, UWord size);  \
  void* WRAPPER(20040, soname, reallocarray)(void* old, UWord n, UWord size) { \
    OrigFn fn;                                                                 \
    VALGRIND_GET_ORIG_FN(fn);                                                  \
    return reallocate_array(fn, old, n, size);                                 \
  }                                                                            \
  void* WRAPPER(20050, soname, memalign)(UWord alignment, UWord size);         \
  void* WRAPPER(20050, soname, memalign)(UWord alignment, UWord size) {        \
    OrigFn fn;                                                                 \
    VALGRIND_GET_ORIG_FN(fn);                                                  \
    return allocate_aligned(fn, alignment, size, ALLOCATED_BY_MEMALIGN);       \
  }                                                                            \
  void* WRAPPER(20050, soname, aligned_alloc)(UWord alignment, UWord size);    \
  void* WRAPPER(20050, soname, aligned_alloc)(UWord alignment, UWord size) {   \
    OrigFn fn;                                                                 \
    VALGRIND_GET_ORIG_FN(fn);                                                  \
    return allocate_aligned(fn, alignment, size, ALLOCATED_BY_MEMALIGN);       \
  }                                                                            \
  int WRAPPER(20060, soname, posix_memalign)(void** out, UWord alignment,      \
                                             UWord size);                      \
  int WRAPPER(20060, soname, posix_memalign)(void** out, UWord alignment,      \
                                             UWord size) {                     \
    OrigFn fn;                                                                 \
    VALGRIND_GET_ORIG_FN(fn);                                                  \
    return allocate_posix_aligned(fn, out, alignment, size);                   \
  }

C_FUNCTIONS(VG_Z_LIBC_SONAME)
C_FUNCTIONS(SO_SYN_MALLOC)

/* Introspection: no block made or freed.  mallinfo and mallinfo2 return a
   struct in memory: the caller's buffer comes in as a hidden first argument
   and goes back as the result, which a one-word wrapper passes through. */
#define INSIDE_0(tag, soname, name)                                 \
  UWord WRAPPER(tag, soname, name)(void);                           \
  UWord WRAPPER(tag, soname, name)(void) {                          \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    return inside_0(fn);                                            \
  }
#define INSIDE_1(tag, soname, name)                                 \
  UWord WRAPPER(tag, soname, name)(UWord a);                        \
  UWord WRAPPER(tag, soname, name)(UWord a) {                       \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    return inside_1(fn, a);                                         \
  }
#define INSIDE_2(tag, soname, name)                                 \
  UWord WRAPPER(tag, soname, name)(UWord a, UWord b);               \
  UWord WRAPPER(tag, soname, name)(UWord a, UWord b) {              \
    OrigFn fn;                                                      \
    VALGRIND_GET_ORIG_FN(fn);                                       \
    return inside_2(fn, a, b);                                      \
  }

#define INTROSPECTION(soname)                                       \
  INSIDE_1(20400, soname, malloc_usable_size)                       \
  INSIDE_1(20410, soname, malloc_trim)                              \
  INSIDE_1(20420, soname, mallinfo)                                 \
  INSIDE_1(20430, soname, mallinfo2)                                \
  INSIDE_0(20440, soname, malloc_stats)                             \
  INSIDE_2(20450, soname, malloc_info)                              \
  INSIDE_2(20460, soname, mallopt)

INTROSPECTION(VG_Z_LIBC_SONAME)
INTROSPECTION(SO_SYN_MALLOC)

/* ---- C++: libstdc++, libc++ and every other object exporting them -------- */

#define CXX_FUNCTIONS(soname)                                                         \
  ALLOC_1(20100, soname, _Znwm, ALLOCATED_BY_NEW)                                     \
  ALLOC_1(20110, soname, _Znam, ALLOCATED_BY_NEW_ARRAY)                               \
  ALLOC_NOTHROW(20120, soname, _ZnwmRKSt9nothrow_t, ALLOCATED_BY_NEW)                 \
  ALLOC_NOTHROW(20130, soname, _ZnamRKSt9nothrow_t, ALLOCATED_BY_NEW_ARRAY)           \
  ALLOC_ALIGNED_NEW(20140, soname, _ZnwmSt11align_val_t, ALLOCATED_BY_NEW_ALIGNED)    \
  ALLOC_ALIGNED_NEW(20150, soname, _ZnamSt11align_val_t,                              \
                    ALLOCATED_BY_NEW_ARRAY_ALIGNED)                                   \
  ALLOC_ALIGNED_NEW_NOTHROW(20160, soname, _ZnwmSt11align_val_tRKSt9nothrow_t,        \
                            ALLOCATED_BY_NEW_ALIGNED)                                 \
  ALLOC_ALIGNED_NEW_NOTHROW(20170, soname, _ZnamSt11align_val_tRKSt9nothrow_t,        \
                            ALLOCATED_BY_NEW_ARRAY_ALIGNED)                           \
  FREE_1(20200, soname, _ZdlPv, FREED_BY_DELETE)                                      \
  FREE_1(20210, soname, _ZdaPv, FREED_BY_DELETE_ARRAY)                                \
  FREE_SIZED(20220, soname, _ZdlPvm, FREED_BY_DELETE)                                 \
  FREE_SIZED(20230, soname, _ZdaPvm, FREED_BY_DELETE_ARRAY)                           \
  FREE_NOTHROW(20240, soname, _ZdlPvRKSt9nothrow_t, FREED_BY_DELETE)                  \
  FREE_NOTHROW(20250, soname, _ZdaPvRKSt9nothrow_t, FREED_BY_DELETE_ARRAY)            \
  FREE_ALIGNED(20260, soname, _ZdlPvSt11align_val_t, FREED_BY_DELETE_ALIGNED)         \
  FREE_ALIGNED(20270, soname, _ZdaPvSt11align_val_t, FREED_BY_DELETE_ARRAY_ALIGNED)   \
  FREE_SIZED_ALIGNED(20280, soname, _ZdlPvmSt11align_val_t, FREED_BY_DELETE_ALIGNED)  \
  FREE_SIZED_ALIGNED(20290, soname, _ZdaPvmSt11align_val_t,                           \
                     FREED_BY_DELETE_ARRAY_ALIGNED)                                   \
  FREE_ALIGNED_NOTHROW(20300, soname, _ZdlPvSt11align_val_tRKSt9nothrow_t,            \
                       FREED_BY_DELETE_ALIGNED)                                       \
  FREE_ALIGNED_NOTHROW(20310, soname, _ZdaPvSt11align_val_tRKSt9nothrow_t,            \
                       FREED_BY_DELETE_ARRAY_ALIGNED)

CXX_FUNCTIONS(VG_Z_LIBSTDCXX_SONAME)
CXX_FUNCTIONS(VG_Z_LIBCXX_SONAME)
CXX_FUNCTIONS(SO_SYN_MALLOC)
