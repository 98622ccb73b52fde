#include "tools/taint/copy_ring.h"

#include "shared/rt/check.h"
#include "shared/vex/helper_of_size.h"
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

HWord helper_snapshot_load_with_handle_packed(HWord slot_and_size, HWord addr) {
  return helper_snapshot_load_with_handle(slot_and_size >> 8, addr, slot_and_size & 0xff);
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

namespace {
template <int kSize>
struct StoreWithHandleOfSize {
  static void call(HWord addr, HWord label, HWord handle) {
    helper_store_with_handle(addr, kSize, label, handle, 0);
  }
};
}  // namespace

StoreWithHandleHelper store_with_handle_helper(int size) {
  return vex::helper_of_size<StoreWithHandleOfSize>(size);
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

namespace {

constexpr int kPartBits = 20;

uint64_t encode_part(const RegisterPart& p) {
  return static_cast<uint64_t>(p.word_field / 8) | static_cast<uint64_t>(p.offset) << 8 |
         static_cast<uint64_t>(p.bytes) << 11 | static_cast<uint64_t>(p.slot) << 15;
}

void rewrite_part_label(uint8_t* guest_state, uint64_t code) {
  const int32_t word_field = static_cast<int32_t>(code & 0xff) * 8;
  const uint32_t offset = static_cast<uint32_t>(code >> 8) & 7;
  const uint32_t bytes = static_cast<uint32_t>(code >> 11) & 15;
  const int slot = static_cast<int>(code >> 15) & 31;
  const uint8_t* field = guest_state + register_shadow_offset(word_field);
  const uint32_t label = *reinterpret_cast<const uint32_t*>(field);
  const uint32_t handle = *reinterpret_cast<const uint32_t*>(field + 4);
  if (handle == 0) return;  // the slot holds the register's label already
  *reinterpret_cast<uint32_t*>(guest_state + part_label_slot_offset(slot)) =
      static_cast<uint32_t>(helper_handle_range_label(handle + offset, bytes, label));
}

}  // namespace

uint64_t encode_register_parts(const RegisterPart* parts, int count) {
  UNSTUCK_CHECK(count <= kPartsPerArgument);
  uint64_t code = 0;
  for (int i = 0; i < count; ++i) {
    UNSTUCK_CHECK(parts[i].word_field % 8 == 0 && parts[i].word_field / 8 < 256 &&
                  parts[i].offset < 8 && parts[i].bytes > 0 && parts[i].bytes <= 8 &&
                  parts[i].slot < kMaxRegisterParts);
    code |= encode_part(parts[i]) << (kPartBits * i);
  }
  return code;
}

void helper_register_part_labels_3(HWord guest_state, HWord parts0) {
  helper_register_part_labels(guest_state, parts0, 0, 0);
}

void helper_register_part_labels(HWord guest_state, HWord parts0, HWord parts1, HWord parts2) {
  uint8_t* state = reinterpret_cast<uint8_t*>(guest_state);
  for (uint64_t code : {parts0, parts1, parts2})
    for (; code != 0; code >>= kPartBits) rewrite_part_label(state, code & ((1u << kPartBits) - 1));
}

}  // namespace unstuck::taint
