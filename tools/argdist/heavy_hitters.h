// The most frequent values of a stream, in bounded memory: the Space-Saving
// algorithm (Metwally, Agrawal, El Abbadi, 2005).
//
// `capacity` counters are kept.  While at most `capacity` distinct keys
// have been seen, every count is exact.  After that, a new key takes over
// the counter with the smallest count c and starts at c + 1 with an error
// bound of c: a reported count is then at most `error` above the truth, and
// every key whose true count exceeds the smallest counter is present.
// Counters sit in a min-heap on their count, found by key through a small
// open-addressing index (linear probing, deletion by backward shift), so
// each step costs O(log capacity) and, when values churn (a new one taking
// a counter on every call), a few tens of nanoseconds.
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
  void sift_down(uint32_t position);
  void swap_positions(uint32_t a, uint32_t b);

  // The index: slots hold counter index + 1, 0 when empty.
  size_t home(uint64_t key) const {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> index_shift_);
  }
  size_t slot_of(uint64_t key) const;  // the key's slot, or the empty one
  void index_erase(size_t slot);

  uint32_t capacity_;
  Vector<Counter> counters_;          // indexed by counter index
  Vector<uint32_t> heap_;             // counter indices, min-heap on count
  Vector<uint32_t> position_;         // counter index -> place in heap_
  Vector<uint32_t> index_;            // a power of two, at least 2 x capacity
  unsigned index_shift_;              // 64 - log2(index size)
  uint64_t replacements_ = 0;
  // The last key counted and its counter: runs of one value (a size, a
  // flag) skip the hash lookup.
  uint64_t last_key_ = 0;
  uint32_t last_index_ = ~0u;
};

}  // namespace unstuck::argdist
