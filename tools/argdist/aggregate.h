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

// Count, min, max, mean and variance.  NaNs are left out.
//
// Integers and pointers keep exact sums of the values and of their
// squares (128 and 192 bits): an add is a multiply and a few adds with
// carry, with no division and no rounding; the mean and the variance are
// worked out from the sums when reported, exactly up to the final
// conversion to double.  Floating point keeps Welford's running mean and
// sum of squared distances from it (a sum of squares of doubles would
// cancel).  Which one a Summary holds follows from the kind passed to its
// add(), mean() and stddev(): always pass the same kind.
struct Summary {
  using u128 = unsigned __int128;
  struct ExactSums {
    uint64_t sum[2];      // of the values, two's complement, low word first
    uint64_t squares[3];  // of their squares, low word first
  };
  struct RunningMoments {
    double mean;
    double m2;  // sum of squared distances from the mean
  };

  uint64_t count;
  uint64_t min;
  uint64_t max;
  union {
    ExactSums exact;
    RunningMoments running;
  } moments;

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
    if (kind == ValueKind::kFloat) {
      RunningMoments& r = moments.running;
      double x = __builtin_bit_cast(double, bits);
      double delta = x - r.mean;
      r.mean += delta / static_cast<double>(count);
      r.m2 += delta * (x - r.mean);
    } else {
      // sum += value (sign-extended); squares += |value|^2: word by word,
      // with the carries (the compiler's 128-bit code spills).
      ExactSums& e = moments.exact;
      uint64_t magnitude = bits, extension = 0;
      if (kind == ValueKind::kSigned && static_cast<int64_t>(bits) < 0) {
        magnitude = 0 - bits;
        extension = ~0ULL;
      }
      uint64_t low;
      e.sum[1] += extension + __builtin_add_overflow(e.sum[0], bits, &low);
      e.sum[0] = low;
      const u128 square = static_cast<u128>(magnitude) * magnitude;
      uint64_t s0, s1, s1_carried;
      const bool c0 = __builtin_add_overflow(e.squares[0], static_cast<uint64_t>(square), &s0);
      const bool c1 = __builtin_add_overflow(e.squares[1], static_cast<uint64_t>(square >> 64), &s1);
      const bool c2 = __builtin_add_overflow(s1, static_cast<uint64_t>(c0), &s1_carried);
      e.squares[0] = s0;
      e.squares[1] = s1_carried;
      e.squares[2] += static_cast<uint64_t>(c1) + static_cast<uint64_t>(c2);
    }
    return changed;
  }
  // Adds `times` more occurrences of a value already added (no new
  // extreme, then).
  void add_repeats(uint64_t bits, ValueKind kind, uint64_t times);

  double mean(ValueKind kind) const;
  // The population standard deviation (DTrace's stddev() too).
  double stddev(ValueKind kind) const;

  static u128 load(const uint64_t* words) {
    return static_cast<u128>(words[1]) << 64 | words[0];
  }
  static void store(uint64_t* words, u128 v) {
    words[0] = static_cast<uint64_t>(v);
    words[1] = static_cast<uint64_t>(v >> 64);
  }
  // squares += high * 2^128 + low
  static void add_square(uint64_t* squares, u128 low, uint64_t high) {
    u128 sum = load(squares) + low;
    squares[2] += high + (sum < low);
    store(squares, sum);
  }
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
  void add(uint64_t bits, uint64_t times = 1) { counts_.data()[index_of(bits)] += times; }
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
  void add(uint64_t bits, uint64_t times = 1);
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

// A value's distributions.  A value equal to the one before is only
// counted (a run of one size, flag or object is common), and the run goes
// into the distributions, weighted, when another value comes or when they
// are read: that gives the same extremes, histograms and top values as
// adding each occurrence, and the same sums.
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
    if (bits == last_ && summary_.count != 0) {
      ++repeats_;
      return;
    }
    add_other(bits, time);
  }

  ValueKind kind() const { return kind_; }
  const Summary& summary() const {
    settle();
    return summary_;
  }
  uint64_t nans() const { return nans_; }
  uint64_t min_time() const { return min_time_; }
  uint64_t max_time() const { return max_time_; }
  const Log2Histogram& histogram() const {
    settle();
    return histogram_;
  }
  const LinearHistogram* linear() const {
    settle();
    return linear_;
  }
  const HeavyHitters* top() const {
    settle();
    return top_;
  }
  uint32_t top_wanted() const { return top_wanted_; }

 private:
  void add_other(uint64_t bits, uint64_t time);
  // Puts the pending repeats of last_ into the distributions (the readers
  // are const: what they read does not change, only its form).
  void settle() const {
    if (repeats_ != 0) add_repeats();
  }
  void add_repeats() const;

  ValueKind kind_ = ValueKind::kSigned;
  uint64_t last_ = 0;            // the last value added (not a NaN)
  mutable uint64_t repeats_ = 0;  // occurrences of last_ since, not yet added
  mutable Summary summary_ = {};
  uint64_t nans_ = 0;
  uint64_t min_time_ = 0;
  uint64_t max_time_ = 0;
  mutable Log2Histogram histogram_;
  LinearHistogram* linear_ = nullptr;
  HeavyHitters* top_ = nullptr;
  uint32_t top_wanted_ = 0;
};

// Counters kept per top-K request: enough beyond K that the reported K
// are exact in most skewed streams, and exact outright while at most this
// many distinct values were seen.
uint32_t heavy_hitter_capacity(uint32_t top);

}  // namespace unstuck::argdist
