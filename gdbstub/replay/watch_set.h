// The watched ranges, as the engine checks them: which ranges an access of
// a given kind can touch (what the IR pass compares addresses with), and
// the exact answer for one access: the lowest watched byte it touched and
// whether it read or wrote it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "gdbstub/replay/stop_conditions.h"
#include "gdbstub/replay/watch_page_map.h"

namespace unstuck::replay {

// What one IR access does to memory.  A read-modify-write (a CAS, an x87
// state restore-and-save) is both.
enum class MemoryAccess : uint8_t { Read = 1, Write = 2, ReadWrite = 3 };

struct WatchTouch {
  uint64_t address;  // the lowest watched byte touched
  Access access;     // Read or Write
};

class WatchSet {
 public:
  // Replaces the ranges; empty ones are dropped.
  void assign(const std::vector<WatchRange>& ranges);
  bool empty() const { return ranges_.empty(); }
  const std::vector<WatchRange>& ranges() const { return ranges_; }
  // Whether `ranges` (as given to assign) are the ones in force.
  bool same_as(const std::vector<WatchRange>& ranges) const;

  // The ranges an access of `kind` can touch.
  std::vector<WatchRange> ranges_seen_by(MemoryAccess kind) const;
  // The lowest watched byte of [address, address + size) that an access of
  // `kind` touches, if any; a byte both read and written counts as
  // written.
  std::optional<WatchTouch> touch(uint64_t address, uint64_t size,
                                  MemoryAccess kind) const;

  // Every watched page (of any kind); generated code reads it.  Marked on
  // first use: with few ranges, translations compare addresses instead.
  WatchPageMap& pages();

 private:
  std::vector<WatchRange> ranges_;
  WatchPageMap pages_;
  bool pages_marked_ = false;
};

// Whether a range watching `watched` accesses sees an access of `kind`.
bool sees(Access watched, MemoryAccess kind);

// Whether `candidate` is the one to report rather than `current`: a lower
// byte, or the same byte written.
bool reported_before(const WatchTouch& candidate,
                     const std::optional<WatchTouch>& current);

}  // namespace unstuck::replay
