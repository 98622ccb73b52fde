#include "gdbstub/replay/breakpoint_set.h"

#include <algorithm>
#include <iterator>

namespace unstuck::replay {

void BreakpointSet::assign(std::vector<uint64_t> addresses) {
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()),
                  addresses.end());
  addresses_ = std::move(addresses);
}

bool BreakpointSet::contains(uint64_t address) const {
  return std::binary_search(addresses_.begin(), addresses_.end(), address);
}

bool BreakpointSet::any_in(uint64_t start, uint64_t end) const {
  auto it = std::lower_bound(addresses_.begin(), addresses_.end(), start);
  return it != addresses_.end() && *it < end;
}

std::vector<uint64_t> addresses_not_in(const std::vector<uint64_t>& a,
                                       const std::vector<uint64_t>& b) {
  std::vector<uint64_t> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                      std::back_inserter(out));
  return out;
}

}  // namespace unstuck::replay
