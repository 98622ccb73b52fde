#include "tools/lifetime/shadow_object.h"

#include <new>

#include "shared/rt/platform.h"
#include "shared/vg/valgrind_api.h"
#include "tools/lifetime/wrapper_protocol.h"

namespace unstuck::lifetime {
namespace {

struct FreeSlot {
  FreeSlot* next;
};
FreeSlot* g_free_slots = nullptr;
constexpr size_t kSlabObjects = 128;

// Slabs are never given back: the objects of a run come and go by the
// million, their number at any time is what matters.
void add_slab() {
  const size_t align = alignof(ShadowObject);
  char* raw = static_cast<char*>(
      platform::allocate(kSlabObjects * sizeof(ShadowObject) + align - 1));
  char* first = reinterpret_cast<char*>(
      (reinterpret_cast<uintptr_t>(raw) + align - 1) & ~uintptr_t{align - 1});
  for (size_t i = kSlabObjects; i-- > 0;) {
    FreeSlot* slot = reinterpret_cast<FreeSlot*>(first + i * sizeof(ShadowObject));
    slot->next = g_free_slots;
    g_free_slots = slot;
  }
}

constexpr uint64_t kPage = 4096;
// Bitmaps from this size on get pages of their own.
constexpr uint64_t kMappedBits = 16 * kPage;

uint64_t written_bits_bytes(uint64_t block_size) { return (block_size + 7) / 8 + 1; }
uint64_t whole_pages(uint64_t bytes) { return (bytes + kPage - 1) & ~(kPage - 1); }

}  // namespace

uint8_t* new_written_bits(uint64_t block_size) {
  const uint64_t bytes = written_bits_bytes(block_size);
  if (bytes < kMappedBits) return new uint8_t[bytes]();
  void* pages = VG_(am_shadow_alloc)(whole_pages(bytes));
  if (pages == nullptr) VG_(out_of_memory_NORETURN)("lifetime.written", whole_pages(bytes));
  return static_cast<uint8_t*>(pages);
}

void delete_written_bits(uint8_t* bits, uint64_t block_size) {
  if (bits == nullptr) return;
  const uint64_t bytes = written_bits_bytes(block_size);
  if (bytes < kMappedBits)
    delete[] bits;
  else
    VG_(am_munmap_valgrind)(reinterpret_cast<Addr>(bits), whole_pages(bytes));
}

ShadowObject* new_shadow_object() {
  if (g_free_slots == nullptr) add_slab();
  FreeSlot* slot = g_free_slots;
  g_free_slots = slot->next;
  return new (slot) ShadowObject();  // value-initialised: all zero
}

void release_owned(ShadowObject& object) {
  delete[] object.histogram;
  delete_written_bits(object.written, object.size);
  delete object.misuse;
  object.histogram = nullptr;
  object.written = nullptr;
  object.misuse = nullptr;
}

ShadowObject* new_object_slab(size_t count) {
  const uint64_t bytes = whole_pages(count * sizeof(ShadowObject));
  void* pages = VG_(am_shadow_alloc)(bytes);
  if (pages == nullptr) VG_(out_of_memory_NORETURN)("lifetime.objects", bytes);
  return static_cast<ShadowObject*>(pages);
}

void delete_shadow_object(ShadowObject* object) {
  release_owned(*object);
  object->~ShadowObject();
  FreeSlot* slot = reinterpret_cast<FreeSlot*>(object);
  slot->next = g_free_slots;
  g_free_slots = slot;
}

const char* misuse_name(Misuse kind) {
  switch (kind) {
    case Misuse::kUseAfterFree: return "use_after_free";
    case Misuse::kOutOfBounds: return "out_of_bounds";
    case Misuse::kReadBeforeWrite: return "read_before_write";
    case Misuse::kMismatchedFree: return "mismatched_free";
  }
  return "?";
}

const char* allocation_kind_name(uint8_t kind) {
  static const char* const kNames[ALLOCATION_KIND_COUNT] = {
      "malloc", "calloc", "realloc", "memalign", "posix_memalign", "valloc",
      "new", "new[]", "new(align)", "new[](align)", "client request"};
  return kind < ALLOCATION_KIND_COUNT ? kNames[kind] : "?";
}

const char* deallocation_kind_name(uint8_t kind) {
  static const char* const kNames[DEALLOCATION_KIND_COUNT] = {
      "free", "realloc", "delete", "delete[]", "delete(align)", "delete[](align)",
      "client request"};
  return kind < DEALLOCATION_KIND_COUNT ? kNames[kind] : "?";
}

}  // namespace unstuck::lifetime
