#include "tools/lifetime/live_bytes_series.h"

namespace unstuck::lifetime {

// Interval i of the new width is intervals 2i and 2i + 1 of the old.
void LiveBytesSeries::coarsen() {
  for (uint32_t i = 0; i < kIntervals / 2; ++i) {
    const Point& a = points_[2 * i];
    const Point& b = points_[2 * i + 1];
    points_[i] = !b.used || (a.used && a.bytes > b.bytes) ? a : b;
  }
  for (uint32_t i = kIntervals / 2; i < kIntervals; ++i) points_[i] = Point{0, 0, false};
  width_ *= 2;
}

}  // namespace unstuck::lifetime
