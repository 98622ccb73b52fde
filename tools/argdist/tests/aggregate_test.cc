#include "tools/argdist/aggregate.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

using unstuck::Vector;
using namespace unstuck::argdist;

namespace {

uint64_t bits_of(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
double double_of(uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

}  // namespace

TEST_CASE("summary: Welford's mean and population stddev, first extremes") {
  Summary s = {};
  CHECK(s.add(static_cast<uint64_t>(-3), ValueKind::kSigned) == (Summary::kNewMin | Summary::kNewMax));
  CHECK(s.add(5, ValueKind::kSigned) == Summary::kNewMax);
  CHECK(s.add(static_cast<uint64_t>(-3), ValueKind::kSigned) == 0);  // not a new minimum
  CHECK(static_cast<int64_t>(s.min) == -3);
  CHECK(s.max == 5);
  CHECK(s.mean == doctest::Approx(-1.0 / 3));
  CHECK(s.stddev() == doctest::Approx(std::sqrt(128.0 / 9)));
}

TEST_CASE("summary: unsigned values above 2^63 compare as unsigned") {
  Summary s = {};
  s.add(1, ValueKind::kUnsigned);
  s.add(1ULL << 63, ValueKind::kUnsigned);
  CHECK(s.min == 1);
  CHECK(s.max == 1ULL << 63);
}

TEST_CASE("log2 histogram: DTrace's buckets, negatives apart") {
  Log2Histogram h;
  h.start(ValueKind::kSigned);
  for (int64_t v : {0, 1, 2, 3, 4, 7, 8, -1, -2, -3, -4, -7, -8})
    h.add(static_cast<uint64_t>(v));
  Vector<Bucket> b;
  h.buckets(&b);
  REQUIRE(b.size() == 9);
  auto check = [&](size_t i, int64_t low, int64_t high, uint64_t count) {
    CHECK(static_cast<int64_t>(b[i].low) == low);
    CHECK(static_cast<int64_t>(b[i].high) == high);
    CHECK(b[i].count == count);
  };
  check(0, -15, -8, 1);
  check(1, -7, -4, 2);
  check(2, -3, -2, 2);
  check(3, -1, -1, 1);
  check(4, 0, 0, 1);
  check(5, 1, 1, 1);
  check(6, 2, 3, 2);
  check(7, 4, 7, 2);
  check(8, 8, 15, 1);
}

TEST_CASE("log2 histogram: the extremes of 64 bits") {
  Log2Histogram u;
  u.start(ValueKind::kUnsigned);
  u.add(~0ULL);
  Vector<Bucket> b;
  u.buckets(&b);
  REQUIRE(b.size() == 1);
  CHECK(b[0].low == 1ULL << 63);
  CHECK(b[0].high == ~0ULL);
  Log2Histogram s;
  s.start(ValueKind::kSigned);
  s.add(1ULL << 63);  // INT64_MIN
  s.buckets(&b);
  REQUIRE(b.size() == 1);
  CHECK(b[0].low == 1ULL << 63);
  CHECK(b[0].high == 1ULL << 63);
}

TEST_CASE("log2 histogram: doubles by binary exponent; rows skip the gap at zero") {
  Log2Histogram h;
  h.start(ValueKind::kFloat);
  for (double d : {0.0, -0.0, 0.3, 1.0, 1.5, -2.5}) h.add(bits_of(d));
  Vector<Bucket> b;
  h.buckets(&b);
  REQUIRE(b.size() == 4);
  CHECK(double_of(b[0].low) == -4.0);
  CHECK(double_of(b[0].high) == -2.0);
  CHECK(b[1].count == 2);  // both zeros
  CHECK(double_of(b[2].low) == 0.25);
  CHECK(double_of(b[3].low) == 1.0);
  CHECK(b[3].count == 2);
  Vector<Bucket> rows;
  h.rows(&rows);
  // [-8,-4) [-4,-2) [-2,-1) | 0 | [0.125,0.25) [0.25,0.5) [0.5,1) [1,2) [2,4)
  CHECK(rows.size() == 9);
}

TEST_CASE("linear histogram: DTrace's lquantize()") {
  LinearHistogram h({-4, 4, 2}, ValueKind::kSigned);
  for (int64_t v : {-7, -5, -4, -3, 0, 1, 3, 4, 100}) h.add(static_cast<uint64_t>(v));
  const Vector<uint64_t>& c = h.counts();
  REQUIRE(c.size() == 6);
  CHECK(c[0] == 2);  // below -4
  CHECK(c[1] == 2);  // -4, -3
  CHECK(c[2] == 0);
  CHECK(c[3] == 2);  // 0, 1
  CHECK(c[4] == 1);  // 3
  CHECK(c[5] == 2);  // 4 and above
  LinearHistogram u({0, 10, 5}, ValueKind::kUnsigned);
  u.add(~0ULL);  // huge, not negative
  CHECK(u.counts()[3] == 1);
}

TEST_CASE("value aggregate: NaNs are counted apart; extremes keep their first time") {
  ValueAggregate v;
  v.start(ValueKind::kFloat, {2}, nullptr);
  v.add(bits_of(2.0), 10);
  v.add(bits_of(std::nan("")), 11);
  v.add(bits_of(2.0), 12);
  v.add(bits_of(-1.0), 13);
  CHECK(v.nans() == 1);
  CHECK(v.summary().count == 3);
  CHECK(v.min_time() == 13);
  CHECK(v.max_time() == 10);
  CHECK(v.top()->exact());
}
