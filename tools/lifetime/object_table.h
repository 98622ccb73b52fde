// The shadow objects and their table: address -> object in O(1) through
// the shadow core's map, one object id per 16-byte granule.
//
// A block's granules hold its id; the granule just after it (and the one
// just before it), when no other block uses them, hold its id with the
// redzone bit, so that an access just outside the block finds it (glibc's
// chunk headers live there).  A freed object keeps its granules, so that a
// later access finds it freed, until it leaves the freed window (oldest
// first) or the allocator hands the memory out again.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/shadow/shadow_map.h"
#include "tools/lifetime/shadow_object.h"

namespace unstuck::lifetime {

inline constexpr unsigned kGranule = 16;
inline constexpr uint32_t kRedzoneBit = 0x80000000u;

using ObjectMap = shadow::ShadowMap<uint32_t, kGranule>;

inline uint32_t id_of(uint32_t entry) { return entry & ~kRedzoneBit; }
inline bool is_redzone(uint32_t entry) { return (entry & kRedzoneBit) != 0; }

// Objects live in slabs addressed by their ids (slab id / 4096, slot
// id % 4096), so that an access goes from a map entry to its object with
// no table of pointers in between: the slab table is small enough to stay
// in the cache, a table of a pointer per object is not.
class ObjectTable {
 public:
  // Called with an object leaving the table (out of the map), just before
  // its slot is reused: what is to be kept of it must be copied, and what
  // it owns (new_shadow_object's rules) taken or released.
  using RetireFn = void (*)(ShadowObject* object);

  ObjectTable(RetireFn retire, uint64_t freed_window);
  ObjectTable(const ObjectTable&) = delete;
  ObjectTable& operator=(const ObjectTable&) = delete;

  // A new object for [base, base + size), zeroed but for its identity, its
  // granules marked.  The caller has retired whatever lived there.
  ShadowObject* create(Addr base, uint64_t size);
  // The same in two steps: a zeroed object with an id, not in the map yet
  // (its base and size to be set), then its granules marked.
  ShadowObject* reserve();
  void attach(ShadowObject* object);

  // The map entry covering `addr` (0: no object), and the object of an id
  // found in the map.
  uint32_t entry_at(Addr addr) const { return map_.get(addr); }
  ShadowObject* object(uint32_t id) const {
    return &slabs_[id >> kSlabShift][id & (kSlabObjects - 1)];
  }

  // The live object whose block starts at `base`, or null.
  ShadowObject* live_at(Addr base) const;

  // Calls fn(ShadowObject*) once for each object with a granule of its
  // block (not of its redzones) in [start, start + size).
  template <typename Fn>
  void for_each_object_in(Addr start, uint64_t size, Fn&& fn);

  // A freed object stays in the map, watched for use after free, until
  // the freed window is full.
  void freed(ShadowObject* object);
  // Takes the object out now (an old version resized in place).
  void retire(ShadowObject* object);
  // Memory the program unmapped: nothing can live there any more.
  void forget_range(Addr start, uint64_t size);
  // At exit: every freed object leaves, then fn(live object) for the rest.
  void retire_freed();
  template <typename Fn>
  void for_each_live(Fn&& fn);

  uint64_t live_count() const { return live_; }
  uint64_t next_serial() const { return next_serial_; }
  ObjectMap& map() { return map_; }

 private:
  static constexpr unsigned kSlabShift = 12;
  static constexpr uint32_t kSlabObjects = 1u << kSlabShift;

  uint32_t take_id();
  void mark_redzone(Addr granule, uint32_t id);
  void clear_entries_of(const ShadowObject& object);
  void evict_oldest_freed();

  ObjectMap map_;
  Vector<ShadowObject*> slabs_;    // kSlabObjects objects each, by id
  uint32_t next_id_ = 1;           // id 0 means "no object"
  Vector<uint32_t> free_ids_;
  Vector<uint32_t> scratch_ids_;   // for_each_object_in's
  struct Run {
    Addr start;
    uint64_t size;
  };
  Vector<Run> scratch_runs_;       // clear_entries_of's
  Vector<ShadowObject*> freed_;    // FIFO from freed_head_
  size_t freed_head_ = 0;
  uint64_t freed_dropped_ = 0;     // entries dropped from the front so far
  uint64_t freed_bytes_ = 0;
  uint64_t freed_window_;
  uint64_t live_ = 0;
  uint64_t next_serial_ = 1;
  RetireFn retire_;
};

template <typename Fn>
void ObjectTable::for_each_object_in(Addr start, uint64_t size, Fn&& fn) {
  scratch_ids_.clear();
  map_.for_each_run(start, size, [&](uint64_t, uint64_t, uint32_t entry) {
    if (is_redzone(entry)) return;
    uint32_t id = entry;
    for (uint32_t seen : scratch_ids_)
      if (seen == id) return;
    scratch_ids_.push_back(id);
  });
  // fn may retire the object it is given: the id says whether it is still
  // the same one.
  for (uint32_t id : scratch_ids_)
    if (object(id)->id == id) fn(object(id));
}

template <typename Fn>
void ObjectTable::for_each_live(Fn&& fn) {
  for (uint32_t id = 1; id < next_id_; ++id)
    if (object(id)->id == id && object(id)->is_live()) fn(object(id));
}

}  // namespace unstuck::lifetime
