// IR for labels, used by the propagation pass while it instruments a
// superblock: every label is a 32-bit label-set id held in an Ity_I32
// atom (a temporary, or the constant 0 for "no label").
//
// The fast path is inline: a union of two labels of which one is empty,
// or that are equal, is an Or; only two different non-empty sets call the
// union helper, through a guarded dirty call.  Register labels are read
// and written inline in shadow area 1 (see shadow_state.h for the word
// field convention); memory labels inline through shared/shadow's
// ShadowIR, with a helper off the fast path.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/shadow/shadow_ir.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

class LabelIR {
 public:
  explicit LabelIR(IRSB* out);

  IRSB* out() const { return out_; }
  shadow::ShadowIR& memory() { return memory_; }

  // ---- Building blocks ----
  static IRExpr* empty();
  static bool is_empty(const IRExpr* label);
  IRExpr* bind(IRExpr* e);
  IRExpr* word(uint64_t value);
  IRExpr* widen(IRExpr* label);  // Ity_I32 -> Ity_I64 for helper arguments
  // Ity_I1: the label is not empty.
  IRExpr* nonempty(IRExpr* label);
  IRExpr* both(IRExpr* a, IRExpr* b);  // And1, either may be null (true)

  // A dirty call to `fn` made only when `guard` holds (null: always),
  // optionally returning an Ity_I64 result temporary.
  IRDirty* helper_call(IRExpr* guard, const char* name, void* fn,
                       IRExpr** args, bool returns);
  IRTemp add_call(IRDirty* call);

  // ---- Label algebra ----
  IRExpr* union_of(IRExpr* a, IRExpr* b);
  // ITE on labels: the label of the selected value.
  IRExpr* select(IRExpr* condition, IRExpr* if_true, IRExpr* if_false);

  // ---- Registers ----
  // With `handle` not null, also reads the register's copy handle (Ity_I32,
  // 0 for registers that have none).
  IRExpr* get_register(int32_t offset, IRType type, IRExpr** handle = nullptr);
  // Writes the label and the copy handle (null: none) of the register.
  void put_register(int32_t offset, IRType type, IRExpr* label, IRExpr* handle = nullptr);
  // Clears the copy handles of the registers [offset, offset + size)
  // overlaps (written by something the tool does not follow byte by byte).
  void clear_copy_handles(int32_t offset, int32_t size);
  IRExpr* get_indexed(const IRRegArray* array, IRExpr* index, Int bias);
  // The labels of parts of registers, from one call (copy_ring.h
  // RegisterPart): emitted before the superblock writes any of the
  // registers; part_label() then reads a part's label from its slot.
  void register_part_labels(const struct RegisterPart* parts, int count);
  IRExpr* part_label(int slot);
  void put_indexed(const IRRegArray* array, IRExpr* index, Int bias, IRExpr* label);

  // ---- Memory ----
  // The union of the labels of [addr, addr + size), read only when
  // `guard` holds (null: always): inline when every byte has the same
  // label (untainted memory, a block of one label), else through a
  // helper.  With `snapshot_slot` >= 0 the helper also keeps the bytes'
  // labels for a later store_snapshot.
  // `took_helper` (if not null) receives the Ity_I1 condition under which
  // the helper ran (and so filled the snapshot).  With `whole_handle` (and
  // a snapshot slot), the same call also makes a copy handle for the whole
  // value (Ity_I32, 0 when the helper did not run): a value put into a
  // register as loaded then needs no call of its own for it.
  IRExpr* load(IRExpr* addr, int size, IRExpr* guard, int snapshot_slot,
               IRExpr** took_helper = nullptr, IRExpr** whole_handle = nullptr);
  void store(IRExpr* addr, int size, IRExpr* label);
  // The store of a value loaded with a snapshot: when the load's bytes had
  // different labels (`snapshot_taken`, from load()), bytes [offset,
  // offset + size) of the load are copied label by label, each united with
  // `extra`.
  void store_snapshot(IRExpr* addr, int size, int snapshot_slot, IRExpr* snapshot_taken,
                      int offset, IRExpr* extra);
  // Ity_I32: a copy handle for bytes [offset, offset + size) of a snapshot
  // load, made only when the snapshot was taken (else 0).
  IRExpr* save_copy_handle(int snapshot_slot, IRExpr* snapshot_taken, int offset, int size);
  // The same handle for a value `offset` bytes into the handle's bytes.
  IRExpr* offset_copy_handle(IRExpr* handle, int offset);
  // The label of bytes [offset, offset + size) of a snapshot load: the
  // union of those bytes' labels when the snapshot was taken, else
  // `otherwise` (the load's uniform label).
  IRExpr* snapshot_range_label(int snapshot_slot, IRExpr* snapshot_taken, int offset,
                               int size, IRExpr* otherwise);
  // The same for the first `size` bytes a copy handle names (`otherwise`
  // when there is no handle, or a stale one).
  IRExpr* handle_range_label(IRExpr* handle, int size, IRExpr* otherwise);
  // The store of a register value with a copy handle (Ity_I32): `label`
  // over the bytes as store() writes it, then, when the handle is not
  // empty, the handle's bytes' labels each united with `extra` -- in one
  // guarded call for the two slow paths.
  void store_with_handle(IRExpr* addr, int size, IRExpr* label, IRExpr* handle,
                         IRExpr* extra);
  // Only when `guard` holds.
  void store_guarded(IRExpr* addr, int size, IRExpr* label, IRExpr* guard);

 private:
  IRExpr* union_of_elements(IRExpr* elements, int32_t bytes);
  IRExpr* replicate(IRExpr* label, int32_t bytes);

  IRExpr* element_block_differs(IRExpr* base, int bytes, IRExpr* first);
  // Memory holds 16-bit labels (label_map.h): loads widen them to the
  // 32-bit labels of temporaries and registers, stores narrow them.
  bool narrow() const { return view_.element_shift == 1; }
  IRExpr* load_element_word(IRExpr* where);
  IRExpr* as_element(IRExpr* label);

  // A word field read whole and split into its label and handle: a write
  // of the same two back is a write of the word (VEX would join the halves
  // again with five instructions, at every move between registers).
  struct SplitWord {
    IRTemp label;
    IRTemp handle;
    IRExpr* word;
  };
  IRExpr* rejoined(IRExpr* label, IRExpr* handle);

  IRSB* out_;
  shadow::TableView view_;
  shadow::ShadowIR memory_;
  Vector<SplitWord> split_words_;
};

// Whether `op` only moves or resizes bits (a cast, a concatenation, a lane
// extraction): what --propagation=copy-only follows.
bool is_copy_op(IROp op);

}  // namespace unstuck::taint
