/* unstuck/taint.h: client requests of unstuck's taint tool
   (valgrind --tool=taint).

   Programs use these macros to name their own taint sources, to clear
   labels, to ask which input bytes a value came from, and to assert that
   a range is (or is not) derived from input.  Outside Valgrind, or under
   another tool, every request does nothing and returns its default (0).

   Labels are (source, byte range): a range marked with
   UNSTUCK_TAINT_MARK(addr, len, "packet") is bytes [0, len) of source
   "packet".  See docs/taint.md.

   Include it from C or C++; it needs Valgrind's valgrind.h (Debian's
   valgrind package installs it as <valgrind/valgrind.h>). */
#ifndef UNSTUCK_TAINT_H
#define UNSTUCK_TAINT_H

#include <valgrind/valgrind.h>

typedef enum {
  UNSTUCK_TAINT_REQ_MARK = VG_USERREQ_TOOL_BASE('U', 'T'),
  UNSTUCK_TAINT_REQ_CLEAR,
  UNSTUCK_TAINT_REQ_QUERY,
  UNSTUCK_TAINT_REQ_ASSERT_TAINTED,
  UNSTUCK_TAINT_REQ_ASSERT_UNTAINTED
} UnstuckTaintRequest;

/* Gives bytes [addr, addr + len) the labels of bytes [0, len) of the
   source called `name` (a NUL-terminated string; the same name is the
   same source).  Returns 1 under the taint tool. */
#define UNSTUCK_TAINT_MARK(addr, len, name)                              \
  ((unsigned long)VALGRIND_DO_CLIENT_REQUEST_EXPR(                       \
      0, UNSTUCK_TAINT_REQ_MARK, (addr), (len), (name), 0, 0))

/* Removes every label from [addr, addr + len).  Returns 1 under the
   taint tool. */
#define UNSTUCK_TAINT_CLEAR(addr, len)                                   \
  ((unsigned long)VALGRIND_DO_CLIENT_REQUEST_EXPR(                       \
      0, UNSTUCK_TAINT_REQ_CLEAR, (addr), (len), 0, 0, 0))

/* Writes the labels of [addr, addr + len) as text into `buffer` (at most
   `buffer_len` bytes, always NUL-terminated when buffer_len > 0), e.g.
   "input.bin: [16, 20)", or "{}" when untainted.  Returns the length of
   the whole text (like snprintf), 0 outside the taint tool. */
#define UNSTUCK_TAINT_QUERY(addr, len, buffer, buffer_len)               \
  ((unsigned long)VALGRIND_DO_CLIENT_REQUEST_EXPR(                       \
      0, UNSTUCK_TAINT_REQ_QUERY, (addr), (len), (buffer), (buffer_len), 0))

/* A "check" finding unless some byte of [addr, addr + len) is tainted.
   Returns 1 when the assertion holds (and outside the taint tool: 0). */
#define UNSTUCK_TAINT_ASSERT_TAINTED(addr, len)                          \
  ((unsigned long)VALGRIND_DO_CLIENT_REQUEST_EXPR(                       \
      0, UNSTUCK_TAINT_REQ_ASSERT_TAINTED, (addr), (len), 0, 0, 0))

/* A "check" finding if any byte of [addr, addr + len) is tainted.
   Returns 1 when the assertion holds (and outside the taint tool: 0). */
#define UNSTUCK_TAINT_ASSERT_UNTAINTED(addr, len)                        \
  ((unsigned long)VALGRIND_DO_CLIENT_REQUEST_EXPR(                       \
      0, UNSTUCK_TAINT_REQ_ASSERT_UNTAINTED, (addr), (len), 0, 0, 0))

#endif /* UNSTUCK_TAINT_H */
