#include "tools/lifetime/object_table.h"

#include <new>

#include "shared/rt/check.h"

namespace unstuck::lifetime {
namespace {

Addr granule_of(Addr a) { return a & ~Addr{kGranule - 1}; }

}  // namespace

ObjectTable::ObjectTable(RetireFn retire, uint64_t freed_window)
    : freed_window_(freed_window), retire_(retire) {}

uint32_t ObjectTable::take_id() {
  if (!free_ids_.empty()) {
    uint32_t id = free_ids_.back();
    free_ids_.pop_back();
    return id;
  }
  UNSTUCK_CHECK_MSG(next_id_ < kRedzoneBit, "too many shadow objects");
  if ((next_id_ >> kSlabShift) == slabs_.size()) slabs_.push_back(new_object_slab(kSlabObjects));
  return next_id_++;
}

ShadowObject* ObjectTable::reserve() {
  const uint32_t id = take_id();
  ShadowObject* object = new (this->object(id)) ShadowObject();
  object->id = id;
  return object;
}

ShadowObject* ObjectTable::create(Addr base, uint64_t size) {
  ShadowObject* object = reserve();
  object->base = base;
  object->size = size;
  attach(object);
  return object;
}

void ObjectTable::attach(ShadowObject* object) {
  object->serial = next_serial_++;
  object->free_time = kNever;
  object->first_read = object->last_read = kNever;
  object->first_write = object->last_write = kNever;
  ++live_;
  map_.set_range(object->base, object->size, object->id);
  mark_redzone(granule_of(object->end() - 1) + kGranule, object->id);
  mark_redzone(granule_of(object->base) - kGranule, object->id);
}

// A redzone never takes a granule from another live object (a neighbour's
// block, or its redzone: the first block keeps the granule between two),
// but takes it from a freed one's redzone: accesses near a live block are
// about that block.
void ObjectTable::mark_redzone(Addr granule, uint32_t id) {
  const uint32_t entry = map_.get(granule);
  if (entry == 0 || (is_redzone(entry) && !object(id_of(entry))->is_live()))
    map_.set(granule, id | kRedzoneBit);
}

ShadowObject* ObjectTable::live_at(Addr base) const {
  uint32_t entry = map_.get(base);
  if (entry == 0 || is_redzone(entry)) return nullptr;
  ShadowObject* found = object(entry);
  return found->base == base && found->is_live() ? found : nullptr;
}

void ObjectTable::freed(ShadowObject* object) {
  UNSTUCK_CHECK(object->state == ObjectState::kFreed);
  --live_;
  object->freed_position = freed_dropped_ + freed_.size();
  freed_.push_back(object);
  freed_bytes_ += object->size;
  while (freed_bytes_ > freed_window_ && freed_head_ < freed_.size())
    evict_oldest_freed();
}

void ObjectTable::evict_oldest_freed() {
  ShadowObject* oldest = freed_[freed_head_];
  // Null: it left the table earlier (its memory was unmapped).
  if (oldest != nullptr) retire(oldest);
  ++freed_head_;
  // Drop the consumed front once it is most of the queue.
  if (freed_head_ > 1024 && freed_head_ * 2 > freed_.size()) {
    Vector<ShadowObject*> rest;
    rest.reserve(freed_.size() - freed_head_);
    for (size_t i = freed_head_; i < freed_.size(); ++i) rest.push_back(freed_[i]);
    freed_ = static_cast<Vector<ShadowObject*>&&>(rest);
    freed_dropped_ += freed_head_;
    freed_head_ = 0;
  }
}

// Clears the granules still holding the object's id: its block and its
// redzones, minus what other objects took over since.
void ObjectTable::clear_entries_of(const ShadowObject& object) {
  const Addr start = granule_of(object.base) - kGranule;
  const uint64_t span = granule_of(object.end() - 1) + 2 * kGranule - start;
  scratch_runs_.clear();
  map_.for_each_run(start, span, [&](uint64_t at, uint64_t size, uint32_t entry) {
    if (id_of(entry) == object.id) scratch_runs_.push_back(Run{at, size});
  });
  for (const Run& run : scratch_runs_) map_.clear_range(run.start, run.size);
}

void ObjectTable::retire(ShadowObject* object) {
  if (object->is_live()) --live_;
  if (object->state == ObjectState::kFreed) {
    // Out of the queue of freed objects (evicted, or skipped when its turn
    // comes).
    UNSTUCK_CHECK(object->freed_position >= freed_dropped_ + freed_head_);
    freed_[object->freed_position - freed_dropped_] = nullptr;
    freed_bytes_ -= object->size;
  }
  clear_entries_of(*object);
  object->state = ObjectState::kRetired;
  retire_(object);
  free_ids_.push_back(object->id);
  object->id = 0;  // the slot is free
}

void ObjectTable::forget_range(Addr start, uint64_t size) {
  for_each_object_in(start, size, [&](ShadowObject* object) {
    // A freed object whose memory went back to the system can no longer be
    // used after free; a live one is left to its free (custom allocators
    // may unmap their pools first), only its granules go.
    if (object->state == ObjectState::kFreed) retire(object);
  });
  map_.clear_range(start, size);
}

void ObjectTable::retire_freed() {
  while (freed_head_ < freed_.size()) evict_oldest_freed();
}

}  // namespace unstuck::lifetime
