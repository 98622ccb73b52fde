// The IR pass that moves every guest memory access into the replayer's
// guest window: each address becomes Add64(address, kGuestBase).
//
// Rewritten: Load, Store, LoadG, StoreG, CAS, LLSC, and the dirty helpers
// that touch memory (x87 environment save/restore, 80-bit loads/stores,
// xsave/xrstor components, sgdt/sidt): their declared memory address
// (mAddr) and the argument that carries the address.  A dirty helper that
// declares a memory effect but is not known here stops the translation with
// a message: passing it an unrebased guest address would corrupt the
// replayer.
#pragma once

#include <stdint.h>

extern "C" {
#include "libvex_basictypes.h"
#include "libvex_ir.h"
}

namespace unstuck::replay {

// Returns `sb` (flat IR) with every guest address rebased by `base`.  Must
// run before any pass that adds accesses to host memory (the clock pass).
IRSB* rebase_guest_memory(IRSB* sb, uint64_t base);

}  // namespace unstuck::replay
