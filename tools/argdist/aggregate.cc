#include "tools/argdist/aggregate.h"

namespace unstuck::argdist {
namespace {

constexpr uint64_t kSignBit = 1ULL << 63;
constexpr int kZeroIndex = 64;  // integer layout: 64 - k ... 64 ... 64 + k

// 2^e as the bits of a double, for e in [-1022, 1023].
uint64_t power_of_two_bits(int e) { return static_cast<uint64_t>(e + 1023) << 52; }

double square_root(double v) {
  double r;
  asm("sqrtsd %1, %0" : "=x"(r) : "x"(v));
  return r;
}

// The binary exponent of a non-zero double, clamped to the histogram's
// range (subnormals to the smallest, infinities to the largest).
int clamped_exponent(uint64_t bits) {
  int e = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  const int lowest = -Log2Histogram::kFloatExponents / 2;
  const int highest = Log2Histogram::kFloatExponents / 2 - 1;
  return e < lowest ? lowest : (e > highest ? highest : e);
}

}  // namespace

// ---- Summary --------------------------------------------------------------

namespace {

using u128 = Summary::u128;

double to_double(u128 v) {
  return static_cast<double>(static_cast<uint64_t>(v >> 64)) * 18446744073709551616.0 +
         static_cast<double>(static_cast<uint64_t>(v));
}

// The absolute value of the sum of the values, and whether it is negative.
u128 sum_magnitude(const Summary::ExactSums& e, ValueKind kind, bool* negative) {
  u128 sum = Summary::load(e.sum);
  *negative = kind == ValueKind::kSigned && (sum >> 127) != 0;
  return *negative ? 0 - sum : sum;
}

}  // namespace

void Summary::add_repeats(uint64_t bits, ValueKind kind, uint64_t times) {
  count += times;
  if (kind == ValueKind::kFloat) {
    RunningMoments& r = moments.running;
    double x = __builtin_bit_cast(double, bits);
    double weight = static_cast<double>(times);
    double delta = x - r.mean;
    r.mean += delta * weight / static_cast<double>(count);
    r.m2 += weight * delta * (x - r.mean);
    return;
  }
  ExactSums& e = moments.exact;
  uint64_t magnitude = bits;
  u128 sum = load(e.sum);
  if (kind == ValueKind::kSigned) {
    // |value| < 2^63 and times < 2^64: the product fits.
    sum += static_cast<u128>(static_cast<__int128>(static_cast<int64_t>(bits)) *
                             static_cast<__int128>(times));
    if (static_cast<int64_t>(bits) < 0) magnitude = 0 - bits;
  } else {
    sum += static_cast<u128>(bits) * times;
  }
  store(e.sum, sum);
  // times * magnitude^2, 192 bits: (high * 2^128 + low)
  u128 square = static_cast<u128>(magnitude) * magnitude;
  u128 p0 = static_cast<u128>(static_cast<uint64_t>(square)) * times;
  u128 p1 = static_cast<u128>(static_cast<uint64_t>(square >> 64)) * times;
  u128 low = p0 + (p1 << 64);
  uint64_t high = static_cast<uint64_t>(p1 >> 64) + (low < p0);
  add_square(e.squares, low, high);
}

double Summary::mean(ValueKind kind) const {
  if (count == 0) return 0;
  if (kind == ValueKind::kFloat) return moments.running.mean;
  bool negative;
  double m = to_double(sum_magnitude(moments.exact, kind, &negative)) / static_cast<double>(count);
  return negative ? -m : m;
}

double Summary::stddev(ValueKind kind) const {
  if (count == 0) return 0;
  if (kind == ValueKind::kFloat) {
    const double m2 = moments.running.m2;
    if (m2 <= 0) return 0;
    return square_root(m2 / static_cast<double>(count));
  }
  // count^2 * variance = count * squares - sum^2, exactly, in 256 bits.
  const uint64_t* squares = moments.exact.squares;
  uint64_t a[4];
  uint64_t carry = 0;
  for (int i = 0; i < 3; ++i) {
    u128 p = static_cast<u128>(squares[i]) * count + carry;
    a[i] = static_cast<uint64_t>(p);
    carry = static_cast<uint64_t>(p >> 64);
  }
  a[3] = carry;
  bool negative;
  u128 magnitude = sum_magnitude(moments.exact, kind, &negative);
  const uint64_t m[2] = {static_cast<uint64_t>(magnitude), static_cast<uint64_t>(magnitude >> 64)};
  uint64_t b[4] = {0, 0, 0, 0};
  for (int i = 0; i < 2; ++i) {
    carry = 0;
    for (int j = 0; j < 2; ++j) {
      u128 p = static_cast<u128>(m[i]) * m[j] + b[i + j] + carry;
      b[i + j] = static_cast<uint64_t>(p);
      carry = static_cast<uint64_t>(p >> 64);
    }
    b[i + 2] = carry;
  }
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    u128 d = static_cast<u128>(a[i]) - b[i] - borrow;
    a[i] = static_cast<uint64_t>(d);
    borrow = static_cast<uint64_t>(d >> 64) != 0;
  }
  if (borrow) return 0;  // cannot happen: sum^2 <= count * squares
  double scaled = 0;
  for (int i = 3; i >= 0; --i) scaled = scaled * 18446744073709551616.0 + static_cast<double>(a[i]);
  if (scaled <= 0) return 0;
  return square_root(scaled) / static_cast<double>(count);
}

// ---- Log2Histogram ----------------------------------------------------------

int Log2Histogram::size() const {
  return kind_ == ValueKind::kFloat ? kFloatBuckets : kIntegerBuckets;
}

void Log2Histogram::start(ValueKind kind) {
  kind_ = kind;
  counts_.clear();
  counts_.resize(size());
}

int Log2Histogram::float_index(uint64_t bits) const {
  const int zero = kFloatExponents;
  if ((bits & ~kSignBit) == 0) return zero;
  int offset = clamped_exponent(bits) + kFloatExponents / 2;  // 0 .. 127
  return (bits & kSignBit) ? zero - 1 - offset : zero + 1 + offset;
}

Bucket Log2Histogram::bucket_at(int index) const {
  Bucket b = {0, 0, counts_[index]};
  if (kind_ == ValueKind::kFloat) {
    const int zero = kFloatExponents;
    if (index == zero) return b;
    bool negative = index < zero;
    int offset = negative ? zero - 1 - index : index - zero - 1;
    int e = offset - kFloatExponents / 2;
    uint64_t near = power_of_two_bits(e), far = power_of_two_bits(e + 1);
    if (negative) {
      b.low = far | kSignBit;
      b.high = near | kSignBit;
    } else {
      b.low = near;
      b.high = far;
    }
    return b;
  }
  if (index == kZeroIndex) return b;
  if (index > kZeroIndex) {
    int k = index - kZeroIndex;
    b.low = 1ULL << (k - 1);
    b.high = k == 64 ? ~0ULL : (1ULL << k) - 1;
    return b;
  }
  int k = kZeroIndex - index;  // magnitudes [2^(k-1), 2^k - 1]
  b.high = 0 - (1ULL << (k - 1));
  b.low = k == 64 ? kSignBit : 0 - ((1ULL << k) - 1);
  return b;
}

void Log2Histogram::buckets(Vector<Bucket>* out) const {
  out->clear();
  for (int i = 0; i < static_cast<int>(counts_.size()); ++i)
    if (counts_[i] != 0) out->push_back(bucket_at(i));
}

// Appends buckets [from, to] of the index range [lowest, highest], with
// one empty bucket beyond each end when there is one.
void Log2Histogram::append_span(Vector<Bucket>* out, int from, int to, int lowest,
                                int highest) const {
  if (from < 0) return;
  if (from > lowest) --from;
  if (to < highest) ++to;
  for (int i = from; i <= to; ++i) out->push_back(bucket_at(i));
}

// The first and last non-empty buckets of [lowest, highest], or -1s.
void Log2Histogram::occupied(int lowest, int highest, int* first, int* last) const {
  *first = *last = -1;
  for (int i = lowest; i <= highest; ++i) {
    if (counts_[i] == 0) continue;
    if (*first < 0) *first = i;
    *last = i;
  }
}

void Log2Histogram::rows(Vector<Bucket>* out) const {
  out->clear();
  int first, last;
  if (kind_ != ValueKind::kFloat) {
    // Unsigned values have no negative rows to border them.
    int lowest = kind_ == ValueKind::kSigned ? 0 : kZeroIndex;
    occupied(lowest, size() - 1, &first, &last);
    append_span(out, first, last, lowest, size() - 1);
    return;
  }
  // Zero is not next to the tiniest exponents in value: the negative side,
  // zero and the positive side are three spans.
  const int zero = kFloatExponents;
  occupied(0, zero - 1, &first, &last);
  append_span(out, first, last, 0, zero - 1);
  if (counts_[zero] != 0) out->push_back(bucket_at(zero));
  occupied(zero + 1, size() - 1, &first, &last);
  append_span(out, first, last, zero + 1, size() - 1);
}

// ---- LinearHistogram --------------------------------------------------------

LinearHistogram::LinearHistogram(const LinearSpec& spec, ValueKind kind)
    : spec_(spec), kind_(kind) {
  uint64_t span = static_cast<uint64_t>(spec.max) - static_cast<uint64_t>(spec.min);
  uint64_t steps = (span + spec.step - 1) / spec.step;
  counts_.resize(steps + 2);
}

void LinearHistogram::add(uint64_t bits, uint64_t times) {
  const size_t overflow = counts_.size() - 1;
  size_t index;
  if (kind_ == ValueKind::kFloat) {
    double v = __builtin_bit_cast(double, bits);
    if (v < static_cast<double>(spec_.min)) {
      index = 0;
    } else if (v >= static_cast<double>(spec_.max)) {
      index = overflow;
    } else {
      index = 1 + static_cast<size_t>((v - static_cast<double>(spec_.min)) /
                                      static_cast<double>(spec_.step));
      if (index > overflow - 1) index = overflow - 1;
    }
  } else {
    bool huge = kind_ != ValueKind::kSigned && (bits & kSignBit);
    int64_t v = static_cast<int64_t>(bits);
    if (huge || v >= spec_.max)
      index = overflow;
    else if (v < spec_.min)
      index = 0;
    else
      index = 1 + (static_cast<uint64_t>(v) - static_cast<uint64_t>(spec_.min)) /
                      static_cast<uint64_t>(spec_.step);
  }
  counts_[index] += times;
}

// ---- ValueAggregate ---------------------------------------------------------

uint32_t heavy_hitter_capacity(uint32_t top) {
  if (top == 0) return 0;
  return top * 4 < 16 ? 16 : top * 4;
}

ValueAggregate::ValueAggregate(ValueAggregate&& other) noexcept
    : kind_(other.kind_),
      last_(other.last_),
      repeats_(other.repeats_),
      summary_(other.summary_),
      nans_(other.nans_),
      min_time_(other.min_time_),
      max_time_(other.max_time_),
      histogram_(std::move(other.histogram_)),
      linear_(other.linear_),
      top_(other.top_),
      top_wanted_(other.top_wanted_) {
  other.linear_ = nullptr;
  other.top_ = nullptr;
}

void ValueAggregate::add_other(uint64_t bits, uint64_t time) {
  if (kind_ == ValueKind::kFloat && is_nan_bits(bits)) {
    ++nans_;
    return;
  }
  settle();
  last_ = bits;
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

// A repeat is never a new extreme: extremes are kept strictly, first
// occurrence first.
void ValueAggregate::add_repeats() const {
  const uint64_t times = repeats_;
  repeats_ = 0;
  summary_.add_repeats(last_, kind_, times);
  histogram_.add(last_, times);
  if (linear_ != nullptr) linear_->add(last_, times);
  if (top_ != nullptr) {
    bool taken_over;
    top_->add(last_, &taken_over, times);
  }
}

ValueAggregate::~ValueAggregate() {
  delete linear_;
  delete top_;
}

void ValueAggregate::start(ValueKind kind, const AggregateOptions& options,
                           const LinearSpec* linear) {
  kind_ = kind;
  last_ = 0;
  repeats_ = 0;
  summary_ = {};
  histogram_.start(kind);
  if (linear != nullptr) linear_ = new LinearHistogram(*linear, kind);
  top_wanted_ = options.top;
  if (options.top > 0) top_ = new HeavyHitters(heavy_hitter_capacity(options.top));
}

}  // namespace unstuck::argdist
