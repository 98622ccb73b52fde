#include "shared/rt/arena.h"

#include "shared/rt/check.h"

namespace unstuck {

static uintptr_t align_up(uintptr_t value, size_t align) {
  return (value + align - 1) & ~static_cast<uintptr_t>(align - 1);
}

void* Arena::allocate(size_t bytes, size_t align) {
  UNSTUCK_CHECK(align != 0 && (align & (align - 1)) == 0 && align <= 4096);
  uintptr_t start = align_up(reinterpret_cast<uintptr_t>(cursor_), align);
  if (cursor_ == nullptr || start + bytes > reinterpret_cast<uintptr_t>(limit_)) {
    // A request bigger than a chunk gets a chunk of its own size.
    size_t payload = bytes + align > chunk_bytes_ ? bytes + align : chunk_bytes_;
    Chunk* chunk = static_cast<Chunk*>(
        platform::allocate(sizeof(Chunk) + payload));
    chunk->previous = newest_;
    chunk->size = payload;
    newest_ = chunk;
    reserved_ += sizeof(Chunk) + payload;
    cursor_ = reinterpret_cast<char*>(chunk + 1);
    limit_ = cursor_ + payload;
    start = align_up(reinterpret_cast<uintptr_t>(cursor_), align);
  }
  cursor_ = reinterpret_cast<char*>(start + bytes);
  used_ += bytes;
  return reinterpret_cast<void*>(start);
}

void Arena::release_all() {
  while (newest_ != nullptr) {
    Chunk* previous = newest_->previous;
    platform::release(newest_);
    newest_ = previous;
  }
  cursor_ = limit_ = nullptr;
  used_ = reserved_ = 0;
}

}  // namespace unstuck
