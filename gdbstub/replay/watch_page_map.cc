#include "gdbstub/replay/watch_page_map.h"

#include <sys/mman.h>

#include <cstring>

#include "shared/rt/check.h"

namespace unstuck::replay {

WatchPageMap::~WatchPageMap() {
  if (map_ != nullptr) ::munmap(map_, kPages);
}

void WatchPageMap::reserve() {
  if (map_ != nullptr) return;
  void* p = ::mmap(nullptr, kPages, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  UNSTUCK_CHECK_MSG(p != MAP_FAILED, "cannot reserve the watched-page map");
  map_ = static_cast<uint8_t*>(p);
}

const uint8_t* WatchPageMap::bytes() {
  reserve();
  return map_;
}

void WatchPageMap::set(uint64_t index) {
  if (map_[index] != 0) return;
  map_[index] = 1;
  marked_.push_back(index);
}

void WatchPageMap::mark(uint64_t start, uint64_t length) {
  UNSTUCK_CHECK(length > 0);
  reserve();
  const uint64_t pages = ((start + length - 1) >> kPageBits) - (start >> kPageBits) + 1;
  if (pages >= kPages || length >= kGuestLimit) {
    // Every page, wrapped or not: one fill rather than 32 M indexes.
    std::memset(map_, 1, kPages);
    all_marked_ = true;
    return;
  }
  for (uint64_t i = 0; i < pages; ++i)
    set(page_index(start + (i << kPageBits)));
}

void WatchPageMap::clear() {
  if (map_ == nullptr) return;
  if (all_marked_) {
    // Hands the pages back: they read as zero again.
    ::madvise(map_, kPages, MADV_DONTNEED);
    all_marked_ = false;
  } else {
    for (uint64_t index : marked_) map_[index] = 0;
  }
  marked_.clear();
}

bool WatchPageMap::marked(uint64_t guest_address) const {
  return map_ != nullptr && map_[page_index(guest_address)] != 0;
}

}  // namespace unstuck::replay
