#include "tools/argdist/heavy_hitters.h"

#include "shared/shadow/heap_sort.h"

namespace unstuck::argdist {

HeavyHitters::HeavyHitters(uint32_t capacity) : capacity_(capacity) {
  UNSTUCK_CHECK(capacity > 0);
  unsigned bits = 1;
  while ((1u << bits) < 2 * capacity) ++bits;
  index_.resize(size_t{1} << bits);
  index_shift_ = 64 - bits;
}

// (Raw pointers on these paths: Vector's bounds checks would double their
// cost, and the indices are in range by construction.)
size_t HeavyHitters::slot_of(uint64_t key) const {
  const size_t mask = index_.size() - 1;
  const uint32_t* index = index_.data();
  const Counter* counters = counters_.data();
  size_t i = home(key);
  while (index[i] != 0 && counters[index[i] - 1].key != key) i = (i + 1) & mask;
  return i;
}

// Backward-shift deletion: later members of the probe run move into the
// hole when their home is not between the hole and them.
void HeavyHitters::index_erase(size_t hole) {
  const size_t mask = index_.size() - 1;
  index_[hole] = 0;
  for (size_t j = (hole + 1) & mask; index_[j] != 0; j = (j + 1) & mask) {
    size_t want = home(counters_[index_[j] - 1].key);
    if (((j - want) & mask) >= ((j - hole) & mask)) {
      index_[hole] = index_[j];
      index_[j] = 0;
      hole = j;
    }
  }
}

void HeavyHitters::swap_positions(uint32_t a, uint32_t b) {
  uint32_t* heap = heap_.data();
  uint32_t ca = heap[a], cb = heap[b];
  heap[a] = cb;
  heap[b] = ca;
  position_.data()[cb] = a;
  position_.data()[ca] = b;
}

void HeavyHitters::sift_down(uint32_t position) {
  const uint32_t n = heap_.size();
  const uint32_t* heap = heap_.data();
  const Counter* counters = counters_.data();
  for (;;) {
    uint32_t smallest = position;
    uint64_t smallest_count = counters[heap[position]].count;
    for (uint32_t child = 2 * position + 1; child <= 2 * position + 2 && child < n; ++child) {
      if (counters[heap[child]].count < smallest_count) {
        smallest = child;
        smallest_count = counters[heap[child]].count;
      }
    }
    if (smallest == position) return;
    swap_positions(position, smallest);
    position = smallest;
  }
}

uint32_t HeavyHitters::add(uint64_t key, bool* taken_over) {
  *taken_over = false;
  uint32_t index = last_index_;
  if (index == ~0u || last_key_ != key || counters_[index].key != key)
    index = index_[slot_of(key)] - 1;  // ~0u when absent
  if (index != ~0u) {
    ++counters_[index].count;
    sift_down(position_[index]);
    last_key_ = key;
    last_index_ = index;
    return index;
  }
  last_key_ = key;
  last_index_ = replace_or_append(key, taken_over);
  return last_index_;
}

uint32_t HeavyHitters::replace_or_append(uint64_t key, bool* taken_over) {
  uint32_t index;
  if (counters_.size() < capacity_) {
    // A new counter starts at 1, the smallest possible count: it belongs at
    // the root, and moving it there keeps every other parent below its
    // children.
    index = counters_.size();
    counters_.push_back({key, 1, 0});
    heap_.push_back(index);
    position_.push_back(index);
    for (uint32_t at = index; at > 0;) {
      uint32_t parent = (at - 1) / 2;
      if (counters_[heap_[parent]].count <= 1) break;
      swap_positions(at, parent);
      at = parent;
    }
    index_[slot_of(key)] = index + 1;
    *taken_over = true;
    return index;
  }
  index = heap_[0];
  Counter& victim = counters_[index];
  index_erase(slot_of(victim.key));
  victim = {key, victim.count + 1, victim.count};
  index_[slot_of(key)] = index + 1;
  sift_down(0);
  ++replacements_;
  *taken_over = true;
  return index;
}

void HeavyHitters::sorted(Vector<Counter>* out, Vector<uint32_t>* slot) const {
  Vector<uint32_t> order;
  for (uint32_t i = 0; i < counters_.size(); ++i) order.push_back(i);
  const Vector<Counter>& c = counters_;
  shadow::heap_sort(order.data(), order.size(), [&c](uint32_t a, uint32_t b) {
    if (c[a].count != c[b].count) return c[a].count > c[b].count;
    return c[a].key < c[b].key;
  });
  out->clear();
  if (slot != nullptr) slot->clear();
  for (uint32_t i : order) {
    out->push_back(c[i]);
    if (slot != nullptr) slot->push_back(i);
  }
}

}  // namespace unstuck::argdist
