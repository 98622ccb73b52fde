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
// The same with (slot << 8) | size in one argument (propagation_helpers.h).
HWord helper_snapshot_load_with_handle_packed(HWord slot_and_size, HWord addr);
// Labels [addr, addr + size) with `label`, then with the labels `handle`
// refers to, each united with `extra` (nothing more if the handle is empty
// or stale).
void helper_store_with_handle(HWord addr, HWord size, HWord label, HWord handle, HWord extra);
// The union of the labels of the first `size` bytes `handle` refers to,
// or `otherwise` if the handle is stale.
HWord helper_handle_range_label(HWord handle, HWord size, HWord otherwise);
// helper_store_with_handle of `size` bytes and no extra label, the size in
// the function (one argument less to move at every such store); null for
// sizes without one.
using StoreWithHandleHelper = void (*)(HWord addr, HWord label, HWord handle);
StoreWithHandleHelper store_with_handle_helper(int size);

// Parts of registers whose labels one call at a superblock's start
// computes (propagation_pass.cc): each is a part of a word field (bytes
// [offset, offset + bytes) of an integer register, say) whose label goes
// to a 32-bit scratch slot of the guest state (shadow_state.h
// part_label_slot_offset).  The generated code has already written each
// slot with the register's label; the call, made only when one of the
// registers has a copy handle, rewrites the slots of those that have one
// with the label of the part's own bytes.  Three parts are packed into
// each 64-bit argument, 20 bits each: the word field's guest offset / 8,
// the offset, the byte count and the slot (0: no part).
struct RegisterPart {
  int32_t word_field;  // guest offset of the word field
  int32_t offset;      // of the part in it
  int32_t bytes;
  int32_t slot;
};
inline constexpr int kPartsPerArgument = 3;
inline constexpr int kMaxRegisterParts = 3 * kPartsPerArgument;
uint64_t encode_register_parts(const RegisterPart* parts, int count);
void helper_register_part_labels(HWord guest_state, HWord parts0, HWord parts1, HWord parts2);
void helper_register_part_labels_3(HWord guest_state, HWord parts0);  // up to three

}  // namespace unstuck::taint
