#include "tools/argdist/heavy_hitters.h"

#include "shared/shadow/heap_sort.h"

namespace unstuck::argdist {

HeavyHitters::HeavyHitters(uint32_t capacity) : capacity_(capacity) {
  UNSTUCK_CHECK(capacity > 0 && capacity < 0xffff);  // index slots are 16 bits
  unsigned bits = 2;
  while ((1u << bits) < 4 * capacity) ++bits;
  storage_.resize(size_t{3} * capacity);
  index_.resize(size_t{1} << bits);
  index_shift_ = 64 - bits;
}

// Only the live entries, one per counter.
void HeavyHitters::rebuild_index() {
  uint16_t* index = index_.data();
  const uint64_t* keys = storage_.data();
  for (size_t i = 0; i < index_.size(); ++i) index[i] = 0;
  for (uint32_t c = 0; c < size_; ++c) index[slot_of(keys[c])] = static_cast<uint16_t>(c + 1);
  index_used_ = size_;
}

// The first counter at the floor from the cursor on; past the end, the
// first counter of the smallest count, which becomes the floor.
uint32_t HeavyHitters::smallest_counter() {
  const uint64_t* counts = storage_.data() + capacity_;
  for (uint32_t i = cursor_; i < size_; ++i) {
    if (counts[i] == floor_) {
      cursor_ = i + 1;  // it is about to count more
      return i;
    }
  }
  uint32_t at = 0;
  for (uint32_t i = 1; i < size_; ++i)
    if (counts[i] < counts[at]) at = i;
  floor_ = counts[at];
  cursor_ = at + 1;
  return at;
}

uint32_t HeavyHitters::take_counter(uint64_t key, uint64_t weight, size_t slot,
                                    bool* taken_over) {
  *taken_over = true;
  uint64_t* keys = storage_.data();
  uint64_t* counts = keys + capacity_;
  uint64_t* errors = counts + capacity_;
  uint32_t index;
  if (size_ < capacity_) {
    index = size_++;
    keys[index] = key;
    counts[index] = weight;
    errors[index] = 0;
  } else {
    // A counter of the smallest count c is taken over: this key's count is
    // at most c above the truth.  Its old key's entry goes stale.
    index = smallest_counter();
    keys[index] = key;
    errors[index] = counts[index];
    counts[index] += weight;
    ++replacements_;
  }
  index_.data()[slot] = static_cast<uint16_t>(index + 1);
  if (++index_used_ > index_.size() / 2) rebuild_index();
  return index;
}

void HeavyHitters::sorted(Vector<Counter>* out, Vector<uint32_t>* slot) const {
  const uint64_t* keys = storage_.data();
  const uint64_t* counts = keys + capacity_;
  const uint64_t* errors = counts + capacity_;
  Vector<uint32_t> order;
  for (uint32_t i = 0; i < size_; ++i) order.push_back(i);
  shadow::heap_sort(order.data(), order.size(), [keys, counts](uint32_t a, uint32_t b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return keys[a] < keys[b];
  });
  out->clear();
  if (slot != nullptr) slot->clear();
  for (uint32_t i : order) {
    out->push_back({keys[i], counts[i], errors[i]});
    if (slot != nullptr) slot->push_back(i);
  }
}

}  // namespace unstuck::argdist
