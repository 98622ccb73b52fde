#include "tools/taint/copy_ring.h"

#include "tools/taint/labels.h"
#include "tools/taint/propagation_helpers.h"
#include "tools/taint/shadow_state.h"

namespace unstuck::taint {
namespace {

struct Entry {
  uint32_t serial;
  uint32_t bytes;
  uint32_t labels[kSnapshotBytes];
};

constexpr uint32_t kEntries = 4096;
Entry g_ring[kEntries] = {};
uint32_t g_next_serial = 1;
constexpr uint32_t kSerialLimit = 1u << (32 - kHandleOffsetBits);

}  // namespace

HWord helper_save_handle(HWord slot, HWord offset, HWord size) {
  uint32_t serial = g_next_serial;
  g_next_serial = g_next_serial + 1 == kSerialLimit ? 1 : g_next_serial + 1;
  Entry& e = g_ring[serial % kEntries];
  e.serial = serial;
  e.bytes = static_cast<uint32_t>(size);
  const uint32_t* labels = snapshot_labels(slot);
  for (HWord i = 0; i < size; ++i) e.labels[i] = labels[offset + i];
  return HWord{serial} << kHandleOffsetBits;
}

HWord helper_snapshot_load_with_handle(HWord slot, HWord addr, HWord size) {
  HWord label = helper_snapshot_load(slot, addr, size);
  return (helper_save_handle(slot, 0, size) << 32) | label;
}

void helper_store_with_handle(HWord addr, HWord size, HWord label, HWord handle, HWord extra) {
  memory_labels().set_range(addr, size, static_cast<LabelSetId>(label));
  if (handle == 0) return;
  uint32_t serial = static_cast<uint32_t>(handle >> kHandleOffsetBits);
  uint32_t offset = static_cast<uint32_t>(handle & ((1u << kHandleOffsetBits) - 1));
  const Entry& e = g_ring[serial % kEntries];
  if (e.serial != serial || offset + size > e.bytes) return;
  LabelMap& map = memory_labels();
  LabelSetId with = static_cast<LabelSetId>(extra);
  for (HWord i = 0; i < size; ++i) map.set(addr + i, union_labels(e.labels[offset + i], with));
}

HWord helper_handle_range_label(HWord handle, HWord size, HWord otherwise) {
  uint32_t serial = static_cast<uint32_t>(handle >> kHandleOffsetBits);
  uint32_t offset = static_cast<uint32_t>(handle & ((1u << kHandleOffsetBits) - 1));
  const Entry& e = g_ring[serial % kEntries];
  if (e.serial != serial || offset + size > e.bytes) return otherwise;
  LabelUnion u;
  for (HWord i = 0; i < size; ++i) u.add(e.labels[offset + i]);
  return u.finish();
}

}  // namespace unstuck::taint
