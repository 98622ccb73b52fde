#include "shared/rt/arena.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>

TEST_CASE("arena hands out aligned, disjoint storage") {
  unstuck::Arena arena(256);
  char* previous_end = nullptr;
  for (size_t align : {1, 2, 8, 16, 64, 4096}) {
    for (int i = 0; i < 20; ++i) {
      char* p = static_cast<char*>(arena.allocate(40, align));
      CHECK(reinterpret_cast<uintptr_t>(p) % align == 0);
      std::memset(p, 0xab, 40);  // must be writable
      if (previous_end != nullptr) CHECK(p != previous_end - 40);
      previous_end = p + 40;
    }
  }
  CHECK(arena.bytes_used() == 6 * 20 * 40);
  CHECK(arena.bytes_reserved() >= arena.bytes_used());
}

TEST_CASE("arena serves requests larger than a chunk") {
  unstuck::Arena arena(128);
  int* big = arena.make_array<int>(10000);
  for (int i = 0; i < 10000; ++i) CHECK(big[i] == 0);
  big[9999] = 5;
  double* d = arena.make<double>(2.5);
  CHECK(*d == 2.5);
  CHECK(big[9999] == 5);
  arena.release_all();
  CHECK(arena.bytes_reserved() == 0);
}
