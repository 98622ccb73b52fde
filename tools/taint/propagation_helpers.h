// The C++ side of propagation: helpers the generated code calls off its
// fast path.  Arguments and results are host words, as dirty calls pass
// them; labels are label-set ids.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

// Load/store pairs of one superblock whose bytes are copied label by
// label use these many snapshot slots at most.
inline constexpr int kSnapshotSlots = 32;
inline constexpr int kSnapshotBytes = 32;  // the widest load (V256)

// How often each helper ran (-v -v prints them).
struct HelperCounts {
  uint64_t unions, element_unions, loads, snapshot_loads, snapshot_stores,
      guarded_stores, dirty_calls;
};
extern HelperCounts g_helper_counts;

HWord helper_union(HWord a, HWord b);
// The union of the 32-bit elements packed in a..d (vector registers).
HWord helper_union_elements(HWord a, HWord b, HWord c, HWord d);
HWord helper_load_label(HWord addr, HWord size);
HWord helper_snapshot_load(HWord slot, HWord addr, HWord size);
// The same with their constant arguments folded in (the generated code
// moves every argument into place whether the guarded call is made or
// not): helper_load_label with the size in the function (null for sizes
// without one), the snapshot loads with `slot_and_size` = (slot << 8) | size.
using LoadLabelHelper = HWord (*)(HWord addr);
LoadLabelHelper load_label_helper(int size);
inline HWord pack_slot_and_size(int slot, int size) {
  return (static_cast<HWord>(slot) << 8) | static_cast<HWord>(size);
}
HWord helper_snapshot_load_packed(HWord slot_and_size, HWord addr);
// Copies bytes [offset, offset + size) of the snapshot to [addr, addr + size).
void helper_store_snapshot(HWord slot, HWord addr, HWord size, HWord offset, HWord extra);
// The union of the labels of bytes [offset, offset + size) of a snapshot.
HWord helper_snapshot_range_label(HWord slot, HWord offset, HWord size);
// The labels a snapshot load kept, one per byte.
const uint32_t* snapshot_labels(HWord slot);
void helper_store_label(HWord addr, HWord size, HWord label);

// A guest dirty call's effects on labels: the union of its inputs (the
// labels of its arguments, `args_label`, the guest state and memory it
// reads) is the label of its result (returned) and of everything it
// writes.  `effects` is a DirtyEffects made at translation time.
struct DirtyEffects {
  struct Region {
    int32_t offset;
    int32_t size;
    int32_t repeats;  // 1 + nRepeats
    int32_t stride;
    bool reads;
    bool writes;
  };
  int32_t region_count;
  Region regions[VEX_N_FXSTATE];
  bool reads_memory;
  bool writes_memory;
  int32_t memory_size;
};
HWord helper_dirty_effects(HWord effects, HWord guest_state, HWord args_label,
                           HWord memory_address);

}  // namespace unstuck::taint
