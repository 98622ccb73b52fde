#include "tools/argdist/aggregate.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <vector>

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

TEST_CASE("summary: mean and population stddev, first extremes") {
  Summary s = {};
  CHECK(s.add(static_cast<uint64_t>(-3), ValueKind::kSigned) == (Summary::kNewMin | Summary::kNewMax));
  CHECK(s.add(5, ValueKind::kSigned) == Summary::kNewMax);
  CHECK(s.add(static_cast<uint64_t>(-3), ValueKind::kSigned) == 0);  // not a new minimum
  CHECK(static_cast<int64_t>(s.min) == -3);
  CHECK(s.max == 5);
  CHECK(s.mean(ValueKind::kSigned) == doctest::Approx(-1.0 / 3));
  CHECK(s.stddev(ValueKind::kSigned) == doctest::Approx(std::sqrt(128.0 / 9)));
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

namespace {

// The population mean and stddev of integers, in long double (64-bit
// mantissa), about the first value to keep the squares small.
void reference_moments(const std::vector<long double>& values, long double* mean,
                       long double* stddev) {
  long double shift = values[0], sum = 0, squares = 0;
  for (long double v : values) {
    sum += v - shift;
    squares += (v - shift) * (v - shift);
  }
  long double n = values.size();
  *mean = shift + sum / n;
  long double variance = squares / n - (sum / n) * (sum / n);
  *stddev = std::sqrt(variance < 0 ? 0 : variance);
}

}  // namespace

TEST_CASE("summary: integer sums are exact for pointer-sized and extreme values") {
  SUBCASE("addresses near 2^46, a null first") {
    Summary s = {};
    std::vector<long double> values = {0};
    s.add(0, ValueKind::kPointer);
    for (uint64_t k = 0; k < 1000; ++k) {
      uint64_t a = (1ULL << 46) + 16 * k;
      s.add(a, ValueKind::kPointer);
      values.push_back(static_cast<long double>(a));
    }
    long double mean, stddev;
    reference_moments(values, &mean, &stddev);
    CHECK(s.mean(ValueKind::kPointer) == doctest::Approx(static_cast<double>(mean)).epsilon(1e-14));
    CHECK(s.stddev(ValueKind::kPointer) ==
          doctest::Approx(static_cast<double>(stddev)).epsilon(1e-12));
  }
  SUBCASE("a narrow spread far from zero: no cancellation") {
    Summary s = {};
    const uint64_t base = (1ULL << 62) + 12345;
    for (uint64_t k = 0; k < 3; ++k) s.add(base + k, ValueKind::kUnsigned);  // ..., +0, +1, +2
    CHECK(s.stddev(ValueKind::kUnsigned) == doctest::Approx(std::sqrt(2.0 / 3)).epsilon(1e-15));
    CHECK(s.mean(ValueKind::kUnsigned) == doctest::Approx(static_cast<double>(base + 1)).epsilon(1e-15));
  }
  SUBCASE("the extremes of int64 and uint64") {
    Summary s = {};
    s.add(static_cast<uint64_t>(INT64_MIN), ValueKind::kSigned);
    s.add(static_cast<uint64_t>(INT64_MAX), ValueKind::kSigned);
    CHECK(s.mean(ValueKind::kSigned) == -0.5);
    CHECK(s.stddev(ValueKind::kSigned) == doctest::Approx(9223372036854775807.5).epsilon(1e-15));
    Summary u = {};
    for (int i = 0; i < 4; ++i) u.add(~0ULL, ValueKind::kUnsigned);
    CHECK(u.mean(ValueKind::kUnsigned) == doctest::Approx(18446744073709551615.0).epsilon(1e-15));
    CHECK(u.stddev(ValueKind::kUnsigned) == 0);
  }
  SUBCASE("negative values") {
    Summary s = {};
    for (int64_t v : {-7, -7, -1, -1}) s.add(static_cast<uint64_t>(v), ValueKind::kSigned);
    CHECK(s.mean(ValueKind::kSigned) == -4);
    CHECK(s.stddev(ValueKind::kSigned) == 3);
  }
  SUBCASE("sums past 128 bits of squares") {
    // 2^20 values of 2^64 - 1: the squares' sum needs the third word.
    Summary s = {};
    s.add(~0ULL, ValueKind::kUnsigned);
    s.add_repeats(~0ULL, ValueKind::kUnsigned, (1ULL << 20) - 1);
    s.add(0, ValueKind::kUnsigned);
    long double n = (1 << 20) + 1, big = 18446744073709551615.0L;
    long double mean = big * (n - 1) / n;
    long double stddev = std::sqrt((n - 1) * (big - mean) * (big - mean) + mean * mean) / std::sqrt(n);
    CHECK(s.count == (1ULL << 20) + 1);
    CHECK(s.mean(ValueKind::kUnsigned) == doctest::Approx(static_cast<double>(mean)).epsilon(1e-14));
    CHECK(s.stddev(ValueKind::kUnsigned) ==
          doctest::Approx(static_cast<double>(stddev)).epsilon(1e-12));
  }
}

TEST_CASE("summary: repeats added at once make the same sums as one by one") {
  for (ValueKind kind : {ValueKind::kSigned, ValueKind::kUnsigned}) {
    for (uint64_t v : {0ULL, 5ULL, 0ULL - 3, 1ULL << 63, ~0ULL, 0x7fff12345678ULL}) {
      Summary one = {}, weighted = {};
      one.add(11, kind);
      weighted.add(11, kind);
      for (int i = 0; i < 1000; ++i) one.add(v, kind);
      weighted.add(v, kind);
      weighted.add_repeats(v, kind, 999);
      CHECK(one.count == weighted.count);
      CHECK(std::memcmp(&one.moments, &weighted.moments, sizeof one.moments) == 0);
    }
  }
  Summary one = {}, weighted = {};
  one.add(bits_of(0.25), ValueKind::kFloat);
  weighted.add(bits_of(0.25), ValueKind::kFloat);
  for (int i = 0; i < 7; ++i) one.add(bits_of(-1.5), ValueKind::kFloat);
  weighted.add(bits_of(-1.5), ValueKind::kFloat);
  weighted.add_repeats(bits_of(-1.5), ValueKind::kFloat, 6);
  CHECK(weighted.mean(ValueKind::kFloat) == doctest::Approx(one.mean(ValueKind::kFloat)));
  CHECK(weighted.stddev(ValueKind::kFloat) == doctest::Approx(one.stddev(ValueKind::kFloat)));
}

// Runs of one value are held back and added weighted: what is read is the
// same as adding every occurrence.
TEST_CASE("value aggregate: runs of a value count as every occurrence") {
  const int64_t stream[] = {4, 4, 4, -2, -2, 9, 4, 4, 0, 0, 0, 0, 9, 9, -2};
  ValueAggregate v;
  const LinearSpec linear = {-4, 12, 4};
  v.start(ValueKind::kSigned, {3}, &linear);
  Summary plain = {};
  Log2Histogram histogram;
  histogram.start(ValueKind::kSigned);
  std::map<int64_t, uint64_t> counts;
  uint64_t time = 100;
  for (int64_t x : stream) {
    v.add(static_cast<uint64_t>(x), time++);
    plain.add(static_cast<uint64_t>(x), ValueKind::kSigned);
    histogram.add(static_cast<uint64_t>(x));
    ++counts[x];
  }
  CHECK(v.summary().count == plain.count);
  CHECK(std::memcmp(&v.summary(), &plain, sizeof plain) == 0);
  CHECK(v.min_time() == 103);  // the first -2
  CHECK(v.max_time() == 105);  // the first 9
  Vector<Bucket> got, want;
  v.histogram().buckets(&got);
  histogram.buckets(&want);
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i].count == want[i].count);
  // [-4, 0): -2 x3; [0, 4): 0 x4; [4, 8): 4 x5; [8, 12): 9 x3.
  const Vector<uint64_t>& lin = v.linear()->counts();
  CHECK(lin[1] == 3);
  CHECK(lin[2] == 4);
  CHECK(lin[3] == 5);
  CHECK(lin[4] == 3);
  Vector<HeavyHitters::Counter> top;
  v.top()->sorted(&top);
  REQUIRE(top.size() == counts.size());
  for (const auto& c : top) CHECK(c.count == counts[static_cast<int64_t>(c.key)]);
  // Reading settles the run so far; adding goes on from there.
  v.add(static_cast<uint64_t>(-2), time++);
  v.add(static_cast<uint64_t>(-2), time++);
  CHECK(v.summary().count == plain.count + 2);
}
