// A shadow object: everything the lifetime tool knows about one heap block
// (one version of it, for blocks resized by realloc: see realloc chains
// below).  Created when the block is allocated, updated on every access to
// it, kept after it is freed while accesses to it would be use after free.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {

inline constexpr uint64_t kNever = ~uint64_t{0};  // a time that never came

enum class ObjectState : uint8_t {
  kLive,
  kResizing,  // inside realloc: the allocator may already reuse its memory
  kFreed,     // kept for use-after-free detection
  kRetired,   // out of the shadow map, kept only for the output
};

// Misuse kinds, in the order of the output's counts.
enum class Misuse : uint8_t {
  kUseAfterFree,
  kOutOfBounds,       // just outside the block (a redzone granule, or past
                      // the end inside the block's last granule)
  kReadBeforeWrite,   // a read of bytes never written
  kMismatchedFree,    // new[] freed by delete, malloc by delete, a wrong
                      // size given to sized delete...
};
inline constexpr int kMisuseKinds = 4;

// One misuse event, with where and when.
struct MisuseEvent {
  Misuse kind;
  bool is_write;
  uint32_t size;       // bytes accessed
  int64_t offset;      // from the block's start (negative: before it)
  uint64_t time;
  uint32_t thread;
  ExeContext* stack;
};

// The functions that accessed an object: a few counters, the least used
// replaced when a new function comes (so the counts of the top functions
// are exact unless `approximate`).
struct FunctionCount {
  uint32_t function;  // functions.h id
  uint32_t reads;
  uint32_t writes;
};
inline constexpr int kTrackedFunctions = 8;

// The fields every access reads or writes come first, within the first
// cache lines (objects are 64-byte aligned, see object_table.cc).
struct alignas(64) ShadowObject {
  // ---- What an access needs ----
  Addr base;
  uint64_t size;             // as counted: the request, or 1 for 0 bytes
  ObjectState state;
  bool all_written;          // calloc'd: no byte can be read before written
  bool approximate_functions;
  bool more_threads;         // touched by a thread numbered above 64
  uint8_t function_count;
  uint8_t last_function;     // where the last access's function was found
  uint32_t id;               // in the shadow map; reused once it retires
  uint64_t bytes_read;
  uint64_t bytes_written;
  uint64_t touched_end;      // 1 + the highest offset ever touched, 0 if none
  uint64_t threads;          // bit n-1 for thread n <= 64
  // Bytes written, one bit each: here for blocks of up to 64 bytes, in
  // `written` for bigger ones; once every byte is, all_written says so and
  // the bits go (reads then need not look them up).
  uint64_t written_bits;
  uint64_t written_count;    // bytes written at least once
  uint64_t last_read, last_write;    // kNever if never
  uint16_t* histogram;       // per-offset access counts, or null
  uint8_t* written;          // bigger blocks' written bits, or null
  FunctionCount functions[kTrackedFunctions];
  uint64_t first_read, first_write;  // kNever if never
  uint64_t uninitialised_reads;  // reads that read a byte never written

  // ---- Identity ----
  uint32_t site;         // sites.h: the realloc chain's first allocation site
  uint8_t alloc_kind;    // wrapper_protocol.h AllocationKind
  uint8_t free_kind;     // DeallocationKind, when freed
  uint64_t serial;       // allocation order, never reused
  uint64_t requested;

  // ---- Life ----
  ExeContext* alloc_stack;   // this version's allocation (malloc, realloc...)
  ExeContext* free_stack;    // the free, or the realloc that replaced it
  uint64_t alloc_time;
  uint64_t free_time;        // kNever while alive
  uint32_t alloc_thread;
  uint32_t free_thread;
  // Realloc chains: realloc(p) makes a new version of p's object, in the
  // same chain (the chain's serial is its first version's).
  uint64_t chain;
  uint32_t chain_index;      // 0 for the first version
  uint64_t chain_start_time; // lifetimes count from the chain's start (DHAT)
  uint64_t resized_from;     // the previous version's serial, or 0
  uint64_t resized_to;       // the next version's serial, or 0
  uint64_t freed_position;   // in the table's queue of freed objects
  // A custom allocator's block lives inside another (its pool): the
  // other's id and serial, to give its granules back.
  uint32_t parent;
  uint64_t parent_serial;

  // ---- Misuse ----
  uint64_t misuse_counts[kMisuseKinds];
  Vector<MisuseEvent>* misuse;  // the first few events, or null

  bool is_live() const {
    return state == ObjectState::kLive || state == ObjectState::kResizing;
  }
  uint64_t end() const { return base + size; }
  uint64_t lifetime(uint64_t now) const {
    return (free_time == kNever ? now : free_time) - alloc_time;
  }
  bool has_misuse() const {
    for (uint64_t count : misuse_counts)
      if (count != 0) return true;
    return false;
  }
  int thread_count() const { return __builtin_popcountll(threads); }
};

// Blocks up to this size keep their written bits in the object itself.
inline constexpr uint64_t kInlineWrittenBits = 64;

// Misuse events kept per object (all are counted).
inline constexpr size_t kMisuseEventsKept = 8;

// An object owns its per-offset counts, written bits and misuse events.
// Objects outside the object table (those kept for the output) come from
// slabs of aligned slots too, reused: one allocation per many objects.
// Deleting one releases what it owns.
ShadowObject* new_shadow_object();
void delete_shadow_object(ShadowObject* object);
void release_owned(ShadowObject& object);
// `count` zeroed, aligned object slots in fresh pages (ObjectTable's slabs).
ShadowObject* new_object_slab(size_t count);

// The written bits of a block of `block_size` bytes (over 64): zeroed, with
// a spare byte at the end.  Big blocks' bits are fresh pages of their own,
// made resident only where the block is written (a program that touches a
// little of a huge buffer pays for that little).
uint8_t* new_written_bits(uint64_t block_size);
void delete_written_bits(uint8_t* bits, uint64_t block_size);

const char* misuse_name(Misuse kind);
const char* allocation_kind_name(uint8_t kind);
const char* deallocation_kind_name(uint8_t kind);

}  // namespace unstuck::lifetime
