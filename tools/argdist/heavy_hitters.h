// The most frequent values of a stream, in bounded memory: the Space-Saving
// algorithm (Metwally, Agrawal, El Abbadi, 2005).
//
// `capacity` counters are kept.  While at most `capacity` distinct keys
// have been seen, every count is exact.  After that, a new key takes over
// the counter with the smallest count c and starts at c + 1 with an error
// bound of c: a reported count is then at most `error` above the truth, and
// every key whose true count exceeds the smallest counter is present.
// Counters are kept in the paper's "stream summary": a list of buckets in
// increasing count, each holding the counters of that count in a list, so
// that counting a key (moving its counter to the next bucket) and finding
// a smallest counter (the first bucket's) are O(1).  Counters are found by
// key through a small open-addressing index (linear probing, deletion by
// backward shift).  (A min-heap did the same in O(log capacity); when values
// churn, a new one taking a counter on every call, its sifting was a
// quarter of argdist's time.)
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"

namespace unstuck::argdist {

class HeavyHitters {
 public:
  struct Counter {
    uint64_t key;
    uint64_t count;
    uint64_t error;  // count - error <= true count <= count
  };

  explicit HeavyHitters(uint32_t capacity);

  // Counts `key`; returns the index of its counter (stable until the
  // counter is taken over) and sets *taken_over when the counter was just
  // given to this key (callers keeping data per counter refresh it then).
  uint32_t add(uint64_t key, bool* taken_over);

  // True while every count is exact (no counter was ever taken over).
  bool exact() const { return replacements_ == 0; }
  uint64_t replacements() const { return replacements_; }

  // The counters, largest count first (ties: smaller key first); `slot`
  // gives each one's counter index, for data kept beside it.
  void sorted(Vector<Counter>* out, Vector<uint32_t>* slot = nullptr) const;

 private:
  uint32_t replace_or_append(uint64_t key, bool* taken_over);

  // The stream summary.  Indices, kNone for none.
  static constexpr uint32_t kNone = ~0u;
  struct Bucket {
    uint64_t count;
    uint32_t first;  // counter
    uint32_t prev, next;  // buckets, by increasing count
  };
  struct Links {
    uint32_t bucket;
    uint32_t prev, next;  // counters in the same bucket
  };
  void increment(uint32_t counter);
  // Puts `counter` into the bucket of `count` that follows `after` (kNone:
  // at the head), making it if need be.
  void place(uint32_t counter, uint64_t count, uint32_t after);
  uint32_t unlink(uint32_t counter);
  uint32_t new_bucket(uint64_t count, uint32_t after);

  // The index: slots hold counter index + 1, 0 when empty.
  size_t home(uint64_t key) const {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> index_shift_);
  }
  size_t slot_of(uint64_t key) const;  // the key's slot, or the empty one
  void index_erase(size_t slot);

  uint32_t capacity_;
  Vector<Counter> counters_;          // indexed by counter index
  Vector<Links> links_;               // indexed by counter index
  Vector<Bucket> buckets_;            // a pool; free ones chained by `next`
  uint32_t head_ = kNone;             // the bucket of the smallest count
  uint32_t free_buckets_ = kNone;
  Vector<uint32_t> index_;            // a power of two, at least 2 x capacity
  unsigned index_shift_;              // 64 - log2(index size)
  uint64_t replacements_ = 0;
  // The last key counted and its counter: runs of one value (a size, a
  // flag) skip the hash lookup.
  uint64_t last_key_ = 0;
  uint32_t last_index_ = ~0u;
};

}  // namespace unstuck::argdist
