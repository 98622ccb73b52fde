#include "tools/argdist/heavy_hitters.h"

#include "shared/shadow/heap_sort.h"

namespace unstuck::argdist {

HeavyHitters::HeavyHitters(uint32_t capacity) : capacity_(capacity) {
  UNSTUCK_CHECK(capacity > 0);
}

void HeavyHitters::swap_positions(uint32_t a, uint32_t b) {
  uint32_t ca = heap_[a], cb = heap_[b];
  heap_[a] = cb;
  heap_[b] = ca;
  position_[cb] = a;
  position_[ca] = b;
}

void HeavyHitters::sift_down(uint32_t position) {
  const uint32_t n = heap_.size();
  for (;;) {
    uint32_t smallest = position;
    for (uint32_t child = 2 * position + 1; child <= 2 * position + 2; ++child)
      if (child < n &&
          counters_[heap_[child]].count < counters_[heap_[smallest]].count)
        smallest = child;
    if (smallest == position) return;
    swap_positions(position, smallest);
    position = smallest;
  }
}

uint32_t HeavyHitters::add(uint64_t key, bool* taken_over) {
  *taken_over = false;
  uint32_t index = last_index_;
  if (index == ~0u || last_key_ != key || counters_[index].key != key) {
    uint32_t* found = index_.find(key);
    index = found != nullptr ? *found : ~0u;
  }
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
    index_.insert(key, index);
    *taken_over = true;
    return index;
  }
  index = heap_[0];
  Counter& victim = counters_[index];
  index_.erase(victim.key);
  victim = {key, victim.count + 1, victim.count};
  index_.insert(key, index);
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
