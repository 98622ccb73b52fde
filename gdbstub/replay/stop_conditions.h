// Where a replay must stop besides the recorded events: breakpoints (the
// running thread is about to execute an address) and watchpoints (a range
// of guest memory is written, read, or either).  Any number of each, of any
// length.
#pragma once

#include <cstdint>
#include <vector>

namespace unstuck::replay {

enum class Access { Write, Read, Either };

struct WatchRange {
  uint64_t address, length;
  Access access;
};

struct StopConditions {
  std::vector<uint64_t> breakpoints;
  std::vector<WatchRange> watchpoints;
  bool empty() const { return breakpoints.empty() && watchpoints.empty(); }
};

// What stopped a replay that met a condition.
struct ConditionHit {
  enum class Kind { None, Breakpoint, Watchpoint } kind = Kind::None;
  uint64_t address = 0;  // the breakpoint, or the watched address accessed
  Access access = Access::Write;
};

}  // namespace unstuck::replay
