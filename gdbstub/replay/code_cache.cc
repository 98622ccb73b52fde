#include "gdbstub/replay/code_cache.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "shared/rt/check.h"

namespace unstuck::replay {
namespace {

// Translations start on a cache line: jump targets land aligned.
constexpr size_t kAlignment = 32;

}  // namespace

CodeCache::CodeCache(size_t capacity_bytes) : capacity_(capacity_bytes) {
  void* p = mmap(nullptr, capacity_, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    std::fprintf(stderr,
                 "unstuck replay: cannot map %zu bytes of executable memory "
                 "for generated code: %s\n",
                 capacity_, std::strerror(errno));
    std::exit(2);
  }
  base_ = static_cast<uint8_t*>(p);
}

CodeCache::~CodeCache() { munmap(base_, capacity_); }

uint8_t* CodeCache::add(const uint8_t* code, size_t size) {
  UNSTUCK_CHECK(size > 0);
  size_t start = (used_ + kAlignment - 1) & ~(kAlignment - 1);
  if (start > capacity_ || size > capacity_ - start) return nullptr;
  std::memcpy(base_ + start, code, size);
  used_ = start + size;
  return base_ + start;
}

void CodeCache::flush() { used_ = 0; }

bool CodeCache::contains(const void* host_address) const {
  const uint8_t* p = static_cast<const uint8_t*>(host_address);
  return p >= base_ && p < base_ + capacity_;
}

}  // namespace unstuck::replay
