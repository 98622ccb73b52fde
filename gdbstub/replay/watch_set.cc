#include "gdbstub/replay/watch_set.h"

#include <algorithm>

namespace unstuck::replay {
namespace {

bool reads(MemoryAccess kind) {
  return (static_cast<uint8_t>(kind) & static_cast<uint8_t>(MemoryAccess::Read)) != 0;
}

bool writes(MemoryAccess kind) {
  return (static_cast<uint8_t>(kind) & static_cast<uint8_t>(MemoryAccess::Write)) != 0;
}

std::vector<WatchRange> non_empty(const std::vector<WatchRange>& ranges) {
  std::vector<WatchRange> out;
  for (const WatchRange& r : ranges)
    if (r.length > 0) out.push_back(r);
  return out;
}

bool same_range(const WatchRange& a, const WatchRange& b) {
  return a.address == b.address && a.length == b.length && a.access == b.access;
}

// How an access of `kind` counts for a range watching `watched`: a write
// when it writes and writes are watched, else a read.
Access reported(Access watched, MemoryAccess kind) {
  return writes(kind) && watched != Access::Read ? Access::Write : Access::Read;
}

}  // namespace

bool sees(Access watched, MemoryAccess kind) {
  switch (watched) {
    case Access::Write: return writes(kind);
    case Access::Read: return reads(kind);
    case Access::Either: return true;
  }
  return true;
}

bool reported_before(const WatchTouch& candidate,
                     const std::optional<WatchTouch>& current) {
  if (!current || candidate.address < current->address) return true;
  return candidate.address == current->address &&
         candidate.access == Access::Write;
}

void WatchSet::assign(const std::vector<WatchRange>& ranges) {
  ranges_ = non_empty(ranges);
  pages_.clear();
  pages_marked_ = false;
}

WatchPageMap& WatchSet::pages() {
  if (!pages_marked_) {
    for (const WatchRange& r : ranges_) pages_.mark(r.address, r.length);
    pages_marked_ = true;
  }
  return pages_;
}

bool WatchSet::same_as(const std::vector<WatchRange>& ranges) const {
  std::vector<WatchRange> given = non_empty(ranges);
  return std::equal(given.begin(), given.end(), ranges_.begin(), ranges_.end(),
                    same_range);
}

std::vector<WatchRange> WatchSet::ranges_seen_by(MemoryAccess kind) const {
  std::vector<WatchRange> out;
  for (const WatchRange& r : ranges_)
    if (sees(r.access, kind)) out.push_back(r);
  return out;
}

// A linear scan: it runs only for accesses the generated code's filter let
// through, which with few ranges are real hits.
std::optional<WatchTouch> WatchSet::touch(uint64_t address, uint64_t size,
                                          MemoryAccess kind) const {
  std::optional<WatchTouch> lowest;
  const uint64_t last = address + size - 1;
  for (const WatchRange& r : ranges_) {
    const uint64_t r_last = r.address + r.length - 1;
    if (!sees(r.access, kind) || last < r.address || address > r_last) continue;
    WatchTouch t{std::max(address, r.address), reported(r.access, kind)};
    if (reported_before(t, lowest)) lowest = t;
  }
  return lowest;
}

}  // namespace unstuck::replay
