// The copy ring: the labels of each byte of values that registers hold
// unmodified.  A load whose bytes have different labels, put into a
// register, gets an entry here; the register gets the entry's handle (see
// shadow_state.h); a later store of the register, in any superblock,
// copies the bytes' labels back exactly.  So glibc's memcpy, which loads
// a vector before a branch and stores it after, keeps every byte's label.
//
// Entries are reused in turn; a handle whose entry was reused is stale and
// ignored (the store keeps the union of the value's labels, which is
// always right, only less precise).
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

// A handle: (serial << 5) | byte offset of the value in the entry.
inline constexpr uint32_t kHandleOffsetBits = 5;

// Saves the labels of `size` bytes from snapshot `slot` starting at
// `offset`; returns the handle.
HWord helper_save_handle(HWord slot, HWord offset, HWord size);
// helper_snapshot_load and helper_save_handle of the whole value in one
// call, for a load that is put whole into a register: the handle in the
// high 32 bits of the result, the bytes' union in the low 32.
HWord helper_snapshot_load_with_handle(HWord slot, HWord addr, HWord size);
// Labels [addr, addr + size) with `label`, then with the labels `handle`
// refers to, each united with `extra` (nothing more if the handle is empty
// or stale).
void helper_store_with_handle(HWord addr, HWord size, HWord label, HWord handle, HWord extra);
// The union of the labels of the first `size` bytes `handle` refers to,
// or `otherwise` if the handle is stale.
HWord helper_handle_range_label(HWord handle, HWord size, HWord otherwise);

}  // namespace unstuck::taint
