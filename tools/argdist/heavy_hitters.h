// The most frequent values of a stream, in bounded memory: the Space-Saving
// algorithm (Metwally, Agrawal, El Abbadi, 2005).
//
// `capacity` counters are kept.  While at most `capacity` distinct keys
// have been seen, every count is exact.  After that, a new key takes over
// a counter with the smallest count c and starts at c + 1 with an error
// bound of c: a reported count is then at most `error` above the truth, and
// every key whose true count exceeds the smallest counter is present.
// (Those bounds hold whichever smallest counter is taken; which one is, is
// said below, and decides which of the rarest keys stay when many tie.)
//
// Counters are plain arrays (keys, counts, errors), found by key through a
// small open-addressing index (linear probing): counting a known key is a
// lookup and an add.  A counter taken over keeps its old index entry: a
// lookup checks the counter's key, so a stale entry only lengthens probes
// (and a lookup of the counter's new key that meets it first is right
// anyway), and the index is rebuilt from the keys once live and stale
// entries fill half of it.  A smallest counter is found lazily: `floor_`
// is at most every count (counts only grow), and a cursor walks the counts
// for one equal to it; the counters it passed all count more, so when it
// reaches the end no count equals the floor, and one pass over the counts
// finds the new floor and starts the walk again.  The victim is thus the
// first counter at the smallest count from the cursor on, in counter
// order.  On churny streams (a new value nearly every time: raw pointers)
// most counters sit at the floor and a victim is a step or two away; the
// worst case, one counter at the floor and the rest above, costs two
// passes over the counts per take-over.
// (The paper's "stream summary", counters linked into buckets of equal
// count, finds a smallest counter in O(1) but pays four to six scattered
// memory accesses on every count and cannot add more than one at a time;
// a min-heap before it paid O(log capacity) sifts.  On python3 under
// argdist's hot100 benchmark either was a quarter of the run.)
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

  // Counts `weight` (at least 1) occurrences of `key`, as that many adds
  // of it in a row would; returns the index of its counter (stable until
  // the counter is taken over) and sets *taken_over when the counter was
  // just given to this key (callers keeping data per counter refresh it
  // then).
  uint32_t add(uint64_t key, bool* taken_over, uint64_t weight = 1) {
    *taken_over = false;
    const uint64_t* keys = storage_.data();
    uint32_t index = last_index_;
    if (index >= size_ || keys[index] != key) {
      const size_t slot = slot_of(key);
      index = index_.data()[slot] - 1u;  // ~0u when absent
      if (index == ~0u) return last_index_ = take_counter(key, weight, slot, taken_over);
      last_index_ = index;
    }
    storage_.data()[capacity_ + index] += weight;
    return index;
  }

  // True while every count is exact (no counter was ever taken over).
  bool exact() const { return replacements_ == 0; }
  uint64_t replacements() const { return replacements_; }

  // The counters, largest count first (ties: smaller key first); `slot`
  // gives each one's counter index, for data kept beside it.
  void sorted(Vector<Counter>* out, Vector<uint32_t>* slot = nullptr) const;

 private:
  // `slot` is the empty index slot where the key's lookup ended.
  uint32_t take_counter(uint64_t key, uint64_t weight, size_t slot, bool* taken_over);
  uint32_t smallest_counter();
  void rebuild_index();

  // The index: slots hold counter index + 1, 0 when empty.
  size_t home(uint64_t key) const {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> index_shift_);
  }
  // The slot of an entry for the key's counter, or the empty one where the
  // key would go.  (Raw pointers: Vector's bounds checks would double the
  // cost, and the indices are in range by construction.)
  size_t slot_of(uint64_t key) const {
    const size_t mask = index_.size() - 1;
    const uint16_t* index = index_.data();
    const uint64_t* keys = storage_.data();
    size_t i = home(key);
    while (index[i] != 0 && keys[index[i] - 1] != key) i = (i + 1) & mask;
    return i;
  }

  uint32_t capacity_;
  uint32_t size_ = 0;           // counters in use
  // keys, then counts, then errors: capacity_ each, by counter index.
  Vector<uint64_t> storage_;
  Vector<uint16_t> index_;      // a power of two, at least 4 x capacity
  uint32_t index_used_ = 0;     // slots not empty (live and stale)
  unsigned index_shift_;        // 64 - log2(index size)
  uint64_t replacements_ = 0;
  uint64_t floor_ = 0;          // no count is smaller (once full)
  uint32_t cursor_ = 0;         // counters before it count more than floor_
  // The last key's counter: runs of one value (a size, a flag) skip the
  // hash lookup.
  uint32_t last_index_ = ~0u;
};

}  // namespace unstuck::argdist
