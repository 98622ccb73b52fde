// Which thread runs when, and which threads exist, over a whole trace: read
// once from the trace's Switch, ThreadStart, ThreadExit, ThreadName and Exit
// events, so
// that stepping one thread forwards or backwards knows where to go without
// replaying.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/trace/trace_reader.h"

namespace unstuck::target {

class Schedule {
 public:
  // Scans the trace; false (with a message) on a corrupt one.
  bool scan(const trace::TraceReader& reader, std::string* error);

  uint64_t start() const { return start_; }
  uint64_t end() const { return end_; }  // the time of the last event
  // The thread that executes the instruction after time t (0 if none).
  uint32_t runner_at(uint64_t t) const;
  // The first time >= from, before the end, at which `thread` runs.
  std::optional<uint64_t> next_run_of(uint32_t thread, uint64_t from) const;
  // The last time < before at which `thread` ran.
  std::optional<uint64_t> previous_run_of(uint32_t thread, uint64_t before) const;
  std::vector<uint32_t> alive_at(uint64_t t) const;
  // The thread's name at time t, as the kernel had it (its comm).
  std::string name_at(uint32_t thread, uint64_t t) const;
  uint32_t thread_count() const { return static_cast<uint32_t>(lives_.size()); }

  bool exited() const { return exited_; }
  int exit_status() const { return exit_status_; }
  bool killed() const { return killed_; }

 private:
  struct Rename {
    uint64_t time;
    std::string name;
  };
  struct Life {
    uint64_t born = 0;
    uint64_t died = UINT64_MAX;
    uint32_t parent = 0;
    std::vector<Rename> names;  // in time order; the first is at birth
  };
  struct Segment {
    uint64_t from;  // runs from here to the next segment's time
    uint32_t thread;
  };
  size_t segment_at(uint64_t t) const;  // index of the segment covering t
  uint64_t segment_end(size_t i) const;

  uint64_t start_ = 0, end_ = 0;
  std::vector<Segment> segments_;
  std::map<uint32_t, Life> lives_;
  std::string program_name_;
  bool exited_ = false, killed_ = false;
  int exit_status_ = 0;
};

}  // namespace unstuck::target
