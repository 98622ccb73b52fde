// A growable array for code that has no standard library (tools), and the
// same type on the host so that shared code and its tests agree.
#pragma once

#include <new>
#include <type_traits>
#include <utility>

#include "shared/rt/check.h"
#include "shared/rt/platform.h"

namespace unstuck {

template <typename T>
class Vector {
 public:
  Vector() = default;
  Vector(const Vector&) = delete;
  Vector& operator=(const Vector&) = delete;
  Vector(Vector&& other) noexcept { take(other); }
  Vector& operator=(Vector&& other) noexcept {
    if (this != &other) {
      destroy();
      take(other);
    }
    return *this;
  }
  ~Vector() { destroy(); }

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }

  T* data() { return items_; }
  const T* data() const { return items_; }
  T* begin() { return items_; }
  T* end() { return items_ + size_; }
  const T* begin() const { return items_; }
  const T* end() const { return items_ + size_; }

  T& operator[](size_t i) {
    UNSTUCK_CHECK(i < size_);
    return items_[i];
  }
  const T& operator[](size_t i) const {
    UNSTUCK_CHECK(i < size_);
    return items_[i];
  }
  T& back() { return (*this)[size_ - 1]; }

  void push_back(const T& value) { emplace_back(value); }
  void push_back(T&& value) { emplace_back(std::move(value)); }

  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) reserve(capacity_ == 0 ? 8 : capacity_ * 2);
    T* slot = new (&items_[size_]) T(std::forward<Args>(args)...);
    ++size_;
    return *slot;
  }

  void pop_back() {
    UNSTUCK_CHECK(size_ > 0);
    items_[--size_].~T();
  }

  void clear() {
    if constexpr (std::is_trivially_destructible_v<T>)
      size_ = 0;
    else
      while (size_ > 0) pop_back();
  }

  // Grows or shrinks to `n` items; new items are value-initialised.  (In
  // one loop over the new items, which the compiler turns into a fill for
  // plain types: one emplace_back per byte took 20 ms to make room for a
  // library's 8 MB of debug information.)
  void resize(size_t n) {
    while (size_ > n) pop_back();
    reserve(n);
    for (size_t i = size_; i < n; ++i) new (&items_[i]) T();
    if (n > size_) size_ = n;
  }

  void reserve(size_t n) {
    if (n <= capacity_) return;
    T* fresh = static_cast<T*>(platform::allocate(n * sizeof(T)));
    for (size_t i = 0; i < size_; ++i) {
      new (&fresh[i]) T(std::move(items_[i]));
      items_[i].~T();
    }
    platform::release(items_);
    items_ = fresh;
    capacity_ = n;
  }

 private:
  void take(Vector& other) {
    items_ = other.items_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.items_ = nullptr;
    other.size_ = other.capacity_ = 0;
  }
  void destroy() {
    clear();
    platform::release(items_);
    items_ = nullptr;
    capacity_ = 0;
  }

  T* items_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace unstuck
