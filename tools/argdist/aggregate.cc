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

double Summary::stddev() const {
  if (count == 0 || m2 <= 0) return 0;
  return square_root(m2 / static_cast<double>(count));
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

void LinearHistogram::add(uint64_t bits) {
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
  ++counts_[index];
}

// ---- ValueAggregate ---------------------------------------------------------

uint32_t heavy_hitter_capacity(uint32_t top) {
  if (top == 0) return 0;
  return top * 4 < 16 ? 16 : top * 4;
}

ValueAggregate::ValueAggregate(ValueAggregate&& other) noexcept
    : kind_(other.kind_),
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

ValueAggregate::~ValueAggregate() {
  delete linear_;
  delete top_;
}

void ValueAggregate::start(ValueKind kind, const AggregateOptions& options,
                           const LinearSpec* linear) {
  kind_ = kind;
  summary_ = {};
  histogram_.start(kind);
  if (linear != nullptr) linear_ = new LinearHistogram(*linear, kind);
  top_wanted_ = options.top;
  if (options.top > 0) top_ = new HeavyHitters(heavy_hitter_capacity(options.top));
}

}  // namespace unstuck::argdist
