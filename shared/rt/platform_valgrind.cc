// The platform layer inside a Valgrind tool: Valgrind's allocator, its
// logging and its tool-assertion path.  There is no libc here.
#include "shared/rt/platform.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::platform {

// The cost-centre name shows up in Valgrind's --profile-heap output.
static const char kCostCentre[] = "unstuck";

void* allocate(size_t bytes) { return VG_(malloc)(kCostCentre, bytes); }

void* reallocate(void* block, size_t bytes) {
  return VG_(realloc)(kCostCentre, block, bytes);
}

void release(void* block) {
  if (block != nullptr) VG_(free)(block);
}

void* allocate_zero_pages(size_t bytes) {
  void* pages = VG_(am_shadow_alloc)(bytes);
  if (pages == nullptr) VG_(out_of_memory_NORETURN)(kCostCentre, bytes);
  return pages;
}

void release_zero_pages(void* pages, size_t bytes) {
  if (pages != nullptr) VG_(am_munmap_valgrind)(reinterpret_cast<Addr>(pages), bytes);
}

void discard_pages(void* pages, size_t bytes) {
  // MADV_DONTNEED (Valgrind's headers do not name it): private anonymous
  // pages read as zero afterwards.  The core keeps no state about it.
  constexpr RegWord kDontNeed = 4;
  VG_(do_syscall)(__NR_madvise, reinterpret_cast<RegWord>(pages), bytes, kDontNeed, 0, 0,
                  0, 0, 0);
}

void fill_bytes(void* dst, uint8_t value, size_t bytes) {
  VG_(memset)(dst, value, bytes);
}

void copy_bytes(void* dst, const void* src, size_t bytes) {
  VG_(memmove)(dst, src, bytes);
}

void write_error(const char* text) { VG_(umsg)("%s", text); }

void fail_check(const char* condition, const char* file, int line,
                const char* function, const char* message) {
  VG_(assert_fail)(/*isCore=*/False, condition, file, line, function, "%s",
                   message);
  __builtin_unreachable();
}

}  // namespace unstuck::platform
