#include "shared/rt/vector.h"

#include <doctest/doctest.h>

#include <vector>

namespace {

// Counts live instances, to prove the vector constructs and destroys each
// element exactly once across growth and moves.
struct Tracked {
  static inline int live = 0;
  int value;
  explicit Tracked(int v = 0) : value(v) { ++live; }
  Tracked(Tracked&& o) noexcept : value(o.value) { ++live; }
  ~Tracked() { --live; }
};

}  // namespace

TEST_CASE("vector grows and keeps order") {
  unstuck::Vector<int> v;
  for (int i = 0; i < 1000; ++i) v.push_back(i * 3);
  REQUIRE(v.size() == 1000);
  for (int i = 0; i < 1000; ++i) CHECK(v[i] == i * 3);
  int sum = 0;
  for (int x : v) sum += x;
  CHECK(sum == 3 * 999 * 1000 / 2);
  v.pop_back();
  CHECK(v.size() == 999);
  CHECK(v.back() == 998 * 3);
}

TEST_CASE("vector constructs and destroys each element once") {
  Tracked::live = 0;
  {
    unstuck::Vector<Tracked> v;
    for (int i = 0; i < 100; ++i) v.emplace_back(i);
    CHECK(Tracked::live == 100);
    unstuck::Vector<Tracked> moved(std::move(v));
    CHECK(v.empty());
    CHECK(moved.size() == 100);
    CHECK(moved[57].value == 57);
    moved.resize(10);
    CHECK(Tracked::live == 10);
    moved.resize(20);
    CHECK(moved[15].value == 0);
    CHECK(Tracked::live == 20);
  }
  CHECK(Tracked::live == 0);
}

TEST_CASE("vector move assignment releases the old contents") {
  Tracked::live = 0;
  unstuck::Vector<Tracked> a, b;
  a.emplace_back(1);
  b.emplace_back(2);
  b.emplace_back(3);
  a = std::move(b);
  CHECK(Tracked::live == 2);
  CHECK(a.size() == 2);
  CHECK(a[1].value == 3);
}
