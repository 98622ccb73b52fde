// The breakpoint addresses the engine stops before: a sorted vector, small
// and cheap to search.  The executor looks the next guest address up at
// every return to C++, and the translator asks whether a block it is about
// to lift could reach one past its first instruction.
#pragma once

#include <cstdint>
#include <vector>

namespace unstuck::replay {

class BreakpointSet {
 public:
  // Replaces the set (duplicates are fine).
  void assign(std::vector<uint64_t> addresses);
  const std::vector<uint64_t>& addresses() const { return addresses_; }
  bool empty() const { return addresses_.empty(); }
  bool contains(uint64_t address) const;
  // Whether a breakpoint lies in [start, end).
  bool any_in(uint64_t start, uint64_t end) const;

 private:
  std::vector<uint64_t> addresses_;  // sorted, unique
};

// The addresses in `a` and not in `b` (both sets' sorted addresses).
std::vector<uint64_t> addresses_not_in(const std::vector<uint64_t>& a,
                                       const std::vector<uint64_t>& b);

}  // namespace unstuck::replay
