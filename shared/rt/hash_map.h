// An open-addressing hash map (linear probing, backward-shift deletion) for
// code without a standard library.  Keys and values must be movable; the
// table keeps at most 7/8 of its slots full.  Iteration order is the slot
// order, i.e. unspecified.
#pragma once

#include <new>
#include <utility>

#include "shared/rt/check.h"
#include "shared/rt/hash.h"
#include "shared/rt/platform.h"

namespace unstuck {

template <typename K, typename V, typename H = Hash<K>>
class HashMap {
  struct Slot {
    bool used;
    K key;
    V value;
  };

 public:
  HashMap() = default;
  HashMap(const HashMap&) = delete;
  HashMap& operator=(const HashMap&) = delete;
  ~HashMap() { destroy(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  V* find(const K& key) {
    if (size_ == 0) return nullptr;
    for (size_t i = home(key);; i = next(i)) {
      Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  const V* find(const K& key) const {
    return const_cast<HashMap*>(this)->find(key);
  }
  bool contains(const K& key) const { return find(key) != nullptr; }

  // Inserts `value` under `key` unless the key is present; returns the
  // stored value and whether it was inserted.
  std::pair<V*, bool> insert(const K& key, V value) {
    if (V* existing = find(key)) return {existing, false};
    grow_if_needed();
    size_t i = home(key);
    while (slots_[i].used) i = next(i);
    new (&slots_[i].key) K(key);
    new (&slots_[i].value) V(std::move(value));
    slots_[i].used = true;
    ++size_;
    return {&slots_[i].value, true};
  }

  // The value under `key`, value-initialised first if absent.
  V& operator[](const K& key) { return *insert(key, V()).first; }

  bool erase(const K& key) {
    if (size_ == 0) return false;
    size_t i = home(key);
    for (;; i = next(i)) {
      if (!slots_[i].used) return false;
      if (slots_[i].key == key) break;
    }
    vacate(i);
    // Backward-shift: pull later members of the probe run into the hole so
    // that lookups never need tombstones.
    for (size_t hole = i, j = next(i); slots_[j].used; j = next(j)) {
      size_t want = home(slots_[j].key);
      bool hole_between = (hole <= j) ? (want <= hole || want > j)
                                      : (want <= hole && want > j);
      if (hole_between) {
        new (&slots_[hole].key) K(std::move(slots_[j].key));
        new (&slots_[hole].value) V(std::move(slots_[j].value));
        slots_[hole].used = true;
        vacate(j);
        hole = j;
      }
    }
    --size_;
    return true;
  }

  void clear() {
    for (size_t i = 0; i < capacity_; ++i)
      if (slots_[i].used) vacate(i);
    size_ = 0;
  }

  // Calls fn(key, value) for every entry.
  template <typename Fn>
  void for_each(Fn&& fn) {
    for (size_t i = 0; i < capacity_; ++i)
      if (slots_[i].used) fn(slots_[i].key, slots_[i].value);
  }
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (size_t i = 0; i < capacity_; ++i)
      if (slots_[i].used)
        fn(static_cast<const K&>(slots_[i].key),
           static_cast<const V&>(slots_[i].value));
  }

 private:
  size_t home(const K& key) const { return H()(key) & (capacity_ - 1); }
  size_t next(size_t i) const { return (i + 1) & (capacity_ - 1); }

  void vacate(size_t i) {
    slots_[i].key.~K();
    slots_[i].value.~V();
    slots_[i].used = false;
  }

  void grow_if_needed() {
    if ((size_ + 1) * 8 <= capacity_ * 7) return;
    size_t old_capacity = capacity_;
    Slot* old = slots_;
    capacity_ = old_capacity == 0 ? 16 : old_capacity * 2;
    slots_ = allocate_slots(capacity_);
    size_ = 0;
    for (size_t i = 0; i < old_capacity; ++i) {
      if (!old[i].used) continue;
      size_t j = home(old[i].key);
      while (slots_[j].used) j = next(j);
      new (&slots_[j].key) K(std::move(old[i].key));
      new (&slots_[j].value) V(std::move(old[i].value));
      slots_[j].used = true;
      ++size_;
      old[i].key.~K();
      old[i].value.~V();
    }
    platform::release(old);
  }

  static Slot* allocate_slots(size_t n) {
    Slot* s = static_cast<Slot*>(platform::allocate(n * sizeof(Slot)));
    for (size_t i = 0; i < n; ++i) s[i].used = false;
    return s;
  }

  void destroy() {
    clear();
    platform::release(slots_);
    slots_ = nullptr;
    capacity_ = 0;
  }

  Slot* slots_ = nullptr;
  size_t capacity_ = 0;  // zero or a power of two
  size_t size_ = 0;
};

}  // namespace unstuck
