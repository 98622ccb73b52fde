// The platform layer for host programs and unit tests: plain libc.
#include "shared/rt/platform.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/mman.h>

namespace unstuck::platform {

static void* must_have(void* block, size_t bytes) {
  if (block == nullptr && bytes != 0) {
    std::fprintf(stderr, "unstuck: out of memory allocating %zu bytes\n",
                 bytes);
    std::abort();
  }
  return block;
}

void* allocate(size_t bytes) { return must_have(std::malloc(bytes), bytes); }

void* reallocate(void* block, size_t bytes) {
  return must_have(std::realloc(block, bytes), bytes);
}

void release(void* block) { std::free(block); }

void* allocate_zero_pages(size_t bytes) {
  void* pages = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return must_have(pages == MAP_FAILED ? nullptr : pages, bytes);
}

void release_zero_pages(void* pages, size_t bytes) {
  if (pages != nullptr) munmap(pages, bytes);
}

void discard_pages(void* pages, size_t bytes) {
  madvise(pages, bytes, MADV_DONTNEED);
}

void fill_bytes(void* dst, uint8_t value, size_t bytes) {
  std::memset(dst, value, bytes);
}

void copy_bytes(void* dst, const void* src, size_t bytes) {
  std::memmove(dst, src, bytes);
}

void write_error(const char* text) { std::fputs(text, stderr); }

void fail_check(const char* condition, const char* file, int line,
                const char* function, const char* message) {
  std::fprintf(stderr, "unstuck: %s:%d: %s: check failed: %s %s\n", file, line,
               function, condition, message);
  std::abort();
}

}  // namespace unstuck::platform
