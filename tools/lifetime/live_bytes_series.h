// Live heap bytes over the run, for a chart: the run's time is cut into at
// most kIntervals equal intervals, and each keeps its highest live bytes
// and the time they were reached.  When the run outgrows the intervals,
// their width doubles and neighbours merge (keeping the higher), so memory
// stays fixed and no peak is lost: the global peak is one of the points,
// at its exact time.
#pragma once

#include <stdint.h>

namespace unstuck::lifetime {

class LiveBytesSeries {
 public:
  static constexpr uint32_t kIntervals = 1024;

  // Live bytes became `bytes` at `time` (times never decrease).
  void note(uint64_t time, uint64_t bytes) {
    uint64_t i = time / width_;
    while (i >= kIntervals) {
      coarsen();
      i = time / width_;
    }
    Point& p = points_[i];
    // ">=": of equal highs the last counts, as for the global peak (DHAT).
    if (!p.used || bytes >= p.bytes) p = Point{time, bytes, true};
  }

  uint64_t interval() const { return width_; }
  // Calls fn(time, bytes) for each interval that saw a change, in order.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (uint32_t i = 0; i < kIntervals; ++i)
      if (points_[i].used) fn(points_[i].time, points_[i].bytes);
  }

 private:
  struct Point {
    uint64_t time;
    uint64_t bytes;
    bool used;
  };
  void coarsen();

  uint64_t width_ = 1024;  // instructions per interval
  Point points_[kIntervals] = {};
};

}  // namespace unstuck::lifetime
