// The propagation pass: instruments a superblock so that every value
// carries the labels of the input bytes it was computed from, and checks
// the sinks the values reach (see docs/taint.md for the rules).
//
//   * Every IR temporary gets one label (the union over its bytes); guest
//     registers keep labels in shadow area 1, memory in the shadow map.
//   * A store of a value loaded in the same superblock (what SIMD memcpy,
//     memmove and strcpy come down to) copies the labels byte for byte.
//   * Sinks: exit guards (conditional branches), the superblock's next
//     address when it is computed (indirect jumps, calls, returns), and
//     with --sink-addresses=yes the addresses of loads and stores.
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

// Returns the instrumented copy of `in`.
IRSB* add_propagation_pass(IRSB* in);

}  // namespace unstuck::taint
