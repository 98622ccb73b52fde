#include "tools/argdist/heap_blocks.h"

#include "shared/rt/string_builder.h"
#include "shared/rt/vector.h"
#include "shared/shadow/shadow_map.h"
#include "tools/argdist/capture.h"

namespace unstuck::argdist {
namespace {

constexpr uint64_t kGranule = 16;

struct RoleName {
  const char* name;
  AllocatorRole role;
};
constexpr RoleName kRoles[] = {
    {"malloc", AllocatorRole::kMalloc},
    {"calloc", AllocatorRole::kCalloc},
    {"realloc", AllocatorRole::kRealloc},
    {"reallocarray", AllocatorRole::kReallocArray},
    {"free", AllocatorRole::kFree},
    {"memalign", AllocatorRole::kAlignedAlloc},
    {"aligned_alloc", AllocatorRole::kAlignedAlloc},
    {"posix_memalign", AllocatorRole::kPosixMemalign},
    {"valloc", AllocatorRole::kPageAlloc},
    {"pvalloc", AllocatorRole::kPageAlloc},
};

// Block numbers (0: no block) in the granules each block covers; the
// blocks themselves by number, numbers of freed blocks reused.
shadow::ShadowMap<uint32_t, kGranule>* g_granules = nullptr;
Vector<HeapBlock>* g_blocks = nullptr;
Vector<uint32_t>* g_free_numbers = nullptr;

uint64_t covered(uint64_t size) { return size == 0 ? 1 : size; }

void forget(Addr start) {
  if (start == 0) return;
  uint32_t number = g_granules->get(start);
  if (number == 0 || (*g_blocks)[number].start != start) return;  // not a block start
  g_granules->clear_range(start, covered((*g_blocks)[number].size));
  (*g_blocks)[number] = {0, 0};
  g_free_numbers->push_back(number);
}

void remember(Addr start, uint64_t size) {
  if (start == 0) return;
  forget(start);  // a block we missed the free of
  uint32_t number;
  if (!g_free_numbers->empty()) {
    number = (*g_free_numbers)[g_free_numbers->size() - 1];
    g_free_numbers->pop_back();
  } else {
    number = g_blocks->size();
    g_blocks->push_back({0, 0});
  }
  (*g_blocks)[number] = {start, size};
  g_granules->set_range(start, covered(size), number);
}

// count * size, or false when it overflows (the allocator then fails).
bool product(uint64_t count, uint64_t size, uint64_t* bytes) {
  return !__builtin_mul_overflow(count, size, bytes);
}

}  // namespace

void install_heap_blocks() {
  g_granules = new shadow::ShadowMap<uint32_t, kGranule>();
  g_blocks = new Vector<HeapBlock>();
  g_blocks->push_back({0, 0});  // number 0 means none
  g_free_numbers = new Vector<uint32_t>();
}

bool heap_blocks_enabled() { return g_granules != nullptr; }

AllocatorRole allocator_role(const char* name) {
  if (!heap_blocks_enabled()) return AllocatorRole::kNone;
  for (const RoleName& r : kRoles)
    if (strings_equal(r.name, name)) return r.role;
  return AllocatorRole::kNone;
}

void allocator_entered(const AllocatorCall& call) {
  // free() ends the block at once: its result says nothing.
  if (call.role == AllocatorRole::kFree) forget(call.args[0]);
}

void allocator_returned(const AllocatorCall& call, uint64_t result) {
  const uint64_t* a = call.args;
  uint64_t bytes = 0;
  switch (call.role) {
    case AllocatorRole::kMalloc: case AllocatorRole::kPageAlloc:
      remember(result, a[0]);
      return;
    case AllocatorRole::kCalloc:
      if (product(a[0], a[1], &bytes)) remember(result, bytes);
      return;
    case AllocatorRole::kRealloc: case AllocatorRole::kReallocArray: {
      bool sized = call.role == AllocatorRole::kRealloc ? (bytes = a[1], true)
                                                         : product(a[1], a[2], &bytes);
      // A failed realloc leaves the old block; realloc(p, 0) may free it.
      if (result == 0 && !(sized && bytes == 0)) return;
      forget(a[0]);
      if (sized) remember(result, bytes);
      return;
    }
    case AllocatorRole::kAlignedAlloc:
      remember(result, a[1]);
      return;
    case AllocatorRole::kPosixMemalign: {
      uint64_t block;
      if (result == 0 && read_guest_word(a[0], &block)) remember(block, a[2]);
      return;
    }
    case AllocatorRole::kFree: case AllocatorRole::kNone:
      return;
  }
}

bool find_heap_block(Addr address, HeapBlock* block) {
  if (!heap_blocks_enabled()) return false;
  uint32_t number = g_granules->get(address);
  if (number == 0) return false;
  *block = (*g_blocks)[number];
  return address >= block->start && address < block->start + covered(block->size);
}

}  // namespace unstuck::argdist
