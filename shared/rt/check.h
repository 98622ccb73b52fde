// Invariant checks.  A failed check is a bug in unstuck, never a user error:
// inside Valgrind it goes through Valgrind's tool-assertion path (which prints
// the guest and host stacks), on the host it aborts with the location.
#pragma once

#include "shared/rt/platform.h"

#define UNSTUCK_CHECK(cond)                                                   \
  do {                                                                        \
    if (__builtin_expect(!(cond), 0))                                         \
      ::unstuck::platform::fail_check(#cond, __FILE__, __LINE__,              \
                                      __func__, "");                          \
  } while (0)

#define UNSTUCK_CHECK_MSG(cond, msg)                                          \
  do {                                                                        \
    if (__builtin_expect(!(cond), 0))                                         \
      ::unstuck::platform::fail_check(#cond, __FILE__, __LINE__,              \
                                      __func__, (msg));                       \
  } while (0)

#define UNSTUCK_UNREACHABLE(msg)                                              \
  ::unstuck::platform::fail_check("unreachable", __FILE__, __LINE__,          \
                                  __func__, (msg))
