// A bump allocator: many small objects with one lifetime, freed together.
// Used for per-translation records and interned data that live as long as
// the run.  Objects are never destroyed individually (no destructors run).
#pragma once

#include <new>
#include <utility>

#include "shared/rt/platform.h"

namespace unstuck {

class Arena {
 public:
  explicit Arena(size_t chunk_bytes = 64 * 1024) : chunk_bytes_(chunk_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() { release_all(); }

  // Raw storage aligned to `align` (a power of two, at most 4096).
  void* allocate(size_t bytes, size_t align = alignof(max_align_t));

  template <typename T, typename... Args>
  T* make(Args&&... args) {
    return new (allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
  }

  template <typename T>
  T* make_array(size_t n) {
    T* items = static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
    for (size_t i = 0; i < n; ++i) new (&items[i]) T();
    return items;
  }

  // Bytes handed out, and bytes taken from the platform for chunks.
  size_t bytes_used() const { return used_; }
  size_t bytes_reserved() const { return reserved_; }

  void release_all();

 private:
  struct Chunk {
    Chunk* previous;
    size_t size;  // bytes after the header
  };

  Chunk* newest_ = nullptr;
  char* cursor_ = nullptr;
  char* limit_ = nullptr;
  size_t chunk_bytes_;
  size_t used_ = 0;
  size_t reserved_ = 0;
};

}  // namespace unstuck
