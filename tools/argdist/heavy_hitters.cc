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

// ---- The stream summary ------------------------------------------------------

uint32_t HeavyHitters::new_bucket(uint64_t count, uint32_t after) {
  uint32_t b = free_buckets_;
  if (b != kNone) {
    free_buckets_ = buckets_[b].next;
  } else {
    b = buckets_.size();
    buckets_.push_back({});
  }
  Bucket* all = buckets_.data();
  const uint32_t next = after == kNone ? head_ : all[after].next;
  all[b] = Bucket{count, kNone, after, next};
  if (after == kNone) head_ = b;
  else all[after].next = b;
  if (next != kNone) all[next].prev = b;
  return b;
}

// Takes the counter out of its bucket; an emptied bucket leaves the list
// for the free chain.  Returns the bucket before the counter's (kNone at
// the head), where a bucket of a higher count may go.
uint32_t HeavyHitters::unlink(uint32_t counter) {
  Links* links = links_.data();
  const Links& l = links[counter];
  Bucket& b = buckets_.data()[l.bucket];
  if (l.prev != kNone) links[l.prev].next = l.next;
  else b.first = l.next;
  if (l.next != kNone) links[l.next].prev = l.prev;
  if (b.first != kNone) return l.bucket;
  Bucket* all = buckets_.data();
  const uint32_t before = b.prev;
  if (b.prev != kNone) all[b.prev].next = b.next;
  else head_ = b.next;
  if (b.next != kNone) all[b.next].prev = b.prev;
  b.next = free_buckets_;
  free_buckets_ = l.bucket;
  return before;
}

void HeavyHitters::place(uint32_t counter, uint64_t count, uint32_t after) {
  const uint32_t next = after == kNone ? head_ : buckets_[after].next;
  const uint32_t b =
      next != kNone && buckets_[next].count == count ? next : new_bucket(count, after);
  Bucket* all = buckets_.data();  // new_bucket may have grown the pool
  Links& l = links_.data()[counter];
  l.bucket = b;
  l.prev = kNone;
  l.next = all[b].first;
  if (l.next != kNone) links_.data()[l.next].prev = counter;
  all[b].first = counter;
}

// The counter's count went up by one: into the bucket of the next count.
void HeavyHitters::increment(uint32_t counter) {
  const Links& l = links_.data()[counter];
  Bucket* all = buckets_.data();
  Bucket& from = all[l.bucket];
  const uint64_t count = from.count + 1;
  // Alone in its bucket, and no bucket of the new count follows: the
  // bucket itself moves up, and the list stays in order.
  if (l.prev == kNone && l.next == kNone && (from.next == kNone || all[from.next].count != count)) {
    from.count = count;
    return;
  }
  place(counter, count, unlink(counter));
}

uint32_t HeavyHitters::add(uint64_t key, bool* taken_over) {
  *taken_over = false;
  uint32_t index = last_index_;
  if (index == ~0u || last_key_ != key || counters_[index].key != key)
    index = index_[slot_of(key)] - 1;  // ~0u when absent
  if (index != ~0u) {
    ++counters_[index].count;
    increment(index);
    last_key_ = key;
    last_index_ = index;
    return index;
  }
  last_key_ = key;
  last_index_ = replace_or_append(key, taken_over);
  return last_index_;
}

uint32_t HeavyHitters::replace_or_append(uint64_t key, bool* taken_over) {
  *taken_over = true;
  uint32_t index;
  if (counters_.size() < capacity_) {
    // A new counter starts at 1, the smallest possible count: at the head.
    index = counters_.size();
    counters_.push_back({key, 1, 0});
    links_.push_back({});
    place(index, 1, kNone);
    index_[slot_of(key)] = index + 1;
    return index;
  }
  // A counter of the smallest count is taken over, and counts this key.
  index = buckets_[head_].first;
  Counter& victim = counters_[index];
  index_erase(slot_of(victim.key));
  victim = {key, victim.count + 1, victim.count};
  index_[slot_of(key)] = index + 1;
  increment(index);
  ++replacements_;
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
