// Distributions of one value (an argument, a result, a call's duration):
// count, extremes and moments (Summary, kept per call site too), and per
// function the time each extreme was first seen, a power-of-two histogram,
// an optional linear histogram and the most frequent values.
//
// Values arrive as 64-bit patterns already normalised by their kind (see
// capture.h): a signed integer sign-extended, an unsigned one or a pointer
// zero-extended, a float or double as the bits of a double.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "tools/argdist/heavy_hitters.h"
#include "tools/argdist/signature.h"

namespace unstuck::argdist {

// How a kind's values compare and convert to double (inline: every
// traced value goes through them several times).
inline bool value_less(uint64_t a, uint64_t b, ValueKind kind) {
  switch (kind) {
    case ValueKind::kSigned:
      return static_cast<int64_t>(a) < static_cast<int64_t>(b);
    case ValueKind::kFloat:
      return __builtin_bit_cast(double, a) < __builtin_bit_cast(double, b);
    default:
      return a < b;
  }
}

inline double value_as_double(uint64_t bits, ValueKind kind) {
  switch (kind) {
    case ValueKind::kSigned:
      return static_cast<double>(static_cast<int64_t>(bits));
    case ValueKind::kFloat:
      return __builtin_bit_cast(double, bits);
    default:
      return static_cast<double>(bits);
  }
}

inline bool is_nan_bits(uint64_t bits) {
  return (bits & ~(1ULL << 63)) > 0x7ff0000000000000ULL;
}

// Count, min, max, mean and variance (Welford's update, which stays
// accurate where a sum of squares would cancel).  NaNs are left out.
struct Summary {
  uint64_t count;
  uint64_t min;
  uint64_t max;
  double mean;
  double m2;  // sum of squared distances from the mean

  static constexpr unsigned kNewMin = 1, kNewMax = 2;
  // Adds a value; returns kNewMin / kNewMax when it is a new extreme
  // (strictly: the first occurrence of an extreme keeps its place).
  unsigned add(uint64_t bits, ValueKind kind) {
    unsigned changed = 0;
    if (count == 0) {
      min = max = bits;
      changed = kNewMin | kNewMax;
    } else {
      if (value_less(bits, min, kind)) {
        min = bits;
        changed |= kNewMin;
      }
      if (value_less(max, bits, kind)) {
        max = bits;
        changed |= kNewMax;
      }
    }
    ++count;
    double x = value_as_double(bits, kind);
    double delta = x - mean;
    mean += delta / static_cast<double>(count);
    m2 += delta * (x - mean);
    return changed;
  }
  // The population standard deviation (DTrace's stddev() too).
  double stddev() const;
};

// Power-of-two buckets, DTrace's quantize(): for integers, zero, then per
// sign one bucket per bit length (1, 2-3, 4-7, ...; -1, -3..-2, -7..-4,
// ...); for floating point, zero, then per sign one bucket per binary
// exponent [2^e, 2^(e+1)) for e in [-64, 63], the extreme buckets taking
// everything beyond (infinities included).
struct Bucket {
  // Integers: inclusive bounds, in the kind's own domain (a signed bucket's
  // bounds are int64 patterns).  Floating point: [low, high) as doubles.
  uint64_t low;
  uint64_t high;
  uint64_t count;
};
class Log2Histogram {
 public:
  static constexpr int kIntegerBuckets = 129;  // 64 negative, zero, 64
  static constexpr int kFloatExponents = 128;  // e in [-64, 63]
  static constexpr int kFloatBuckets = 2 * kFloatExponents + 1;

  void start(ValueKind kind);
  void add(uint64_t bits) { ++counts_.data()[index_of(bits)]; }
  // Non-empty buckets, lowest first.
  void buckets(Vector<Bucket>* out) const;
  // All buckets from one below the lowest non-empty to one above the
  // highest (DTrace prints those bordering zero rows), lowest first; for
  // floating point, the negative side, zero and the positive side apart.
  void rows(Vector<Bucket>* out) const;
  bool floating() const { return kind_ == ValueKind::kFloat; }

 private:
  int index_of(uint64_t bits) const {
    if (kind_ == ValueKind::kFloat) return float_index(bits);
    const int zero = kIntegerBuckets / 2;
    if (kind_ == ValueKind::kSigned && (bits >> 63)) return zero - bit_length(0 - bits);
    return zero + bit_length(bits);
  }
  static int bit_length(uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }
  int float_index(uint64_t bits) const;
  Bucket bucket_at(int index) const;
  void occupied(int lowest, int highest, int* first, int* last) const;
  void append_span(Vector<Bucket>* out, int from, int to, int lowest, int highest) const;
  int size() const;

  ValueKind kind_ = ValueKind::kSigned;
  Vector<uint64_t> counts_;
};

// --lhist=ARG:MIN:MAX:STEP: DTrace's lquantize(): below MIN, one bucket per
// STEP from MIN, and MAX or above.
struct LinearSpec {
  int64_t min;
  int64_t max;
  int64_t step;
};
class LinearHistogram {
 public:
  LinearHistogram(const LinearSpec& spec, ValueKind kind);
  void add(uint64_t bits);
  const LinearSpec& spec() const { return spec_; }
  // counts()[0] is below MIN, the last is MAX or above.
  const Vector<uint64_t>& counts() const { return counts_; }

 private:
  LinearSpec spec_;
  ValueKind kind_;
  Vector<uint64_t> counts_;
};

struct AggregateOptions {
  uint32_t top;  // values reported by --top (0: none kept)
};

class ValueAggregate {
 public:
  ValueAggregate() = default;
  ValueAggregate(const ValueAggregate&) = delete;
  ValueAggregate& operator=(const ValueAggregate&) = delete;
  ValueAggregate(ValueAggregate&& other) noexcept;
  ~ValueAggregate();

  void start(ValueKind kind, const AggregateOptions& options,
             const LinearSpec* linear);
  // Adds a value seen at `time` (instructions retired).
  void add(uint64_t bits, uint64_t time) {
    if (kind_ == ValueKind::kFloat && is_nan_bits(bits)) {
      ++nans_;
      return;
    }
    unsigned extremes = summary_.add(bits, kind_);
    if (extremes & Summary::kNewMin) min_time_ = time;
    if (extremes & Summary::kNewMax) max_time_ = time;
    histogram_.add(bits);
    if (linear_ != nullptr) linear_->add(bits);
    if (top_ != nullptr) {
      bool taken_over;
      top_->add(bits, &taken_over);
    }
  }

  ValueKind kind() const { return kind_; }
  const Summary& summary() const { return summary_; }
  uint64_t nans() const { return nans_; }
  uint64_t min_time() const { return min_time_; }
  uint64_t max_time() const { return max_time_; }
  const Log2Histogram& histogram() const { return histogram_; }
  const LinearHistogram* linear() const { return linear_; }
  const HeavyHitters* top() const { return top_; }
  uint32_t top_wanted() const { return top_wanted_; }

 private:
  ValueKind kind_ = ValueKind::kSigned;
  Summary summary_ = {};
  uint64_t nans_ = 0;
  uint64_t min_time_ = 0;
  uint64_t max_time_ = 0;
  Log2Histogram histogram_;
  LinearHistogram* linear_ = nullptr;
  HeavyHitters* top_ = nullptr;
  uint32_t top_wanted_ = 0;
};

// Counters kept per top-K request: enough beyond K that the reported K
// are exact in most skewed streams, and exact outright while at most this
// many distinct values were seen.
uint32_t heavy_hitter_capacity(uint32_t top);

}  // namespace unstuck::argdist
