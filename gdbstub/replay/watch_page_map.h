// A byte per 4 KB page of the guest window, nonzero where a watched range
// lies: the filter generated code consults when there are too many watched
// ranges to compare an address with each.  A page hit is only a "maybe"
// (WatchSet::touch decides); a page miss is a certain "no".
//
// The map covers the window's 32 M pages with 32 MB of reserved address
// space; untouched parts read as zero and cost nothing.  Addresses above
// the window wrap around onto it, which can only add maybes.
#pragma once

#include <cstdint>
#include <vector>

#include "gdbstub/replay/guest_memory.h"

namespace unstuck::replay {

class WatchPageMap {
 public:
  static constexpr int kPageBits = 12;
  static constexpr uint64_t kPages = kGuestLimit >> kPageBits;

  WatchPageMap() = default;
  ~WatchPageMap();
  WatchPageMap(const WatchPageMap&) = delete;
  WatchPageMap& operator=(const WatchPageMap&) = delete;

  static uint64_t page_index(uint64_t guest_address) {
    return (guest_address >> kPageBits) & (kPages - 1);
  }

  // Marks the pages of [start, start + length); length > 0.
  void mark(uint64_t start, uint64_t length);
  void clear();
  // Where generated code reads the map (reserved on first use).
  const uint8_t* bytes();
  bool marked(uint64_t guest_address) const;

 private:
  void reserve();
  void set(uint64_t index);

  uint8_t* map_ = nullptr;
  std::vector<uint64_t> marked_;  // indexes set, to clear them
  bool all_marked_ = false;
};

}  // namespace unstuck::replay
