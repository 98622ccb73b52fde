#include "tools/taint/propagation_helpers.h"

#include "shared/vex/helper_of_size.h"
#include "tools/taint/labels.h"
#include "tools/taint/shadow_state.h"

namespace unstuck::taint {
namespace {

// The labels of each byte of a snapshot load, until the store that copies
// them.  One superblock runs at a time and runs to its end (or leaves it),
// so one set of slots serves every superblock.
uint32_t g_snapshots[kSnapshotSlots][kSnapshotBytes] = {};

void add_elements(LabelUnion& u, HWord word) {
  u.add(static_cast<LabelSetId>(word));
  u.add(static_cast<LabelSetId>(word >> 32));
}

}  // namespace

HelperCounts g_helper_counts = {};

HWord helper_union(HWord a, HWord b) {
  ++g_helper_counts.unions;
  return union_labels(static_cast<LabelSetId>(a), static_cast<LabelSetId>(b));
}

HWord helper_union_elements(HWord a, HWord b, HWord c, HWord d) {
  ++g_helper_counts.element_unions;
  LabelUnion u;
  add_elements(u, a);
  add_elements(u, b);
  add_elements(u, c);
  add_elements(u, d);
  return u.finish();
}

HWord helper_load_label(HWord addr, HWord size) {
  ++g_helper_counts.loads;
  return memory_label(addr, size);
}

namespace {
template <int kSize>
struct LoadLabelOfSize {
  static HWord call(HWord addr) { return helper_load_label(addr, kSize); }
};
}  // namespace

LoadLabelHelper load_label_helper(int size) {
  return vex::helper_of_size<LoadLabelOfSize>(size);
}

HWord helper_snapshot_load_packed(HWord slot_and_size, HWord addr) {
  return helper_snapshot_load(slot_and_size >> 8, addr, slot_and_size & 0xff);
}

HWord helper_snapshot_load(HWord slot, HWord addr, HWord size) {
  ++g_helper_counts.snapshot_loads;
  uint32_t* bytes = g_snapshots[slot];
  const LabelMap& map = memory_labels();
  for (HWord i = 0; i < size; ++i) bytes[i] = map.get(addr + i);
  return memory_label(addr, size);
}

const uint32_t* snapshot_labels(HWord slot) { return g_snapshots[slot]; }

HWord helper_snapshot_range_label(HWord slot, HWord offset, HWord size) {
  LabelUnion u;
  for (HWord i = 0; i < size; ++i) u.add(g_snapshots[slot][offset + i]);
  return u.finish();
}

void helper_store_snapshot(HWord slot, HWord addr, HWord size, HWord offset, HWord extra) {
  ++g_helper_counts.snapshot_stores;
  const uint32_t* bytes = g_snapshots[slot] + offset;
  LabelMap& map = memory_labels();
  LabelSetId with = static_cast<LabelSetId>(extra);
  for (HWord i = 0; i < size; ++i) map.set(addr + i, union_labels(bytes[i], with));
}

void helper_store_label(HWord addr, HWord size, HWord label) {
  ++g_helper_counts.guarded_stores;
  set_memory_label(addr, size, static_cast<LabelSetId>(label));
}

HWord helper_dirty_effects(HWord effects_word, HWord guest_state_word,
                           HWord args_label, HWord memory_address) {
  ++g_helper_counts.dirty_calls;
  const DirtyEffects& e = *reinterpret_cast<const DirtyEffects*>(effects_word);
  uint8_t* guest_state = reinterpret_cast<uint8_t*>(guest_state_word);
  LabelSetId label = static_cast<LabelSetId>(args_label);
  for (int32_t i = 0; i < e.region_count; ++i) {
    const DirtyEffects::Region& r = e.regions[i];
    if (!r.reads) continue;
    for (int32_t k = 0; k < r.repeats; ++k)
      label = union_labels(label, register_label_in(guest_state, r.offset + k * r.stride,
                                                    r.size));
  }
  if (e.reads_memory) label = union_labels(label, memory_label(memory_address, e.memory_size));
  for (int32_t i = 0; i < e.region_count; ++i) {
    const DirtyEffects::Region& r = e.regions[i];
    if (!r.writes) continue;
    for (int32_t k = 0; k < r.repeats; ++k)
      set_register_label_in(guest_state, r.offset + k * r.stride, r.size, label);
  }
  if (e.writes_memory) set_memory_label(memory_address, e.memory_size, label);
  return label;
}

}  // namespace unstuck::taint
