// An in-place sort for code without a standard library: heap sort, so that
// it needs no recursion, no extra memory, and is O(n log n) on any input.
#pragma once

#include <stddef.h>

#include <utility>

namespace unstuck::shadow {

namespace heap_sort_detail {

template <typename T, typename Less>
void sift_down(T* items, size_t root, size_t n, Less& less) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && less(items[child], items[child + 1])) ++child;
    if (!less(items[root], items[child])) return;
    std::swap(items[root], items[child]);
    root = child;
  }
}

}  // namespace heap_sort_detail

// Sorts items[0, n) ascending by `less` (not stable).
template <typename T, typename Less>
void heap_sort(T* items, size_t n, Less less) {
  using heap_sort_detail::sift_down;
  for (size_t i = n / 2; i-- > 0;) sift_down(items, i, n, less);
  for (size_t end = n; end > 1; --end) {
    std::swap(items[0], items[end - 1]);
    sift_down(items, 0, end - 1, less);
  }
}

}  // namespace unstuck::shadow
