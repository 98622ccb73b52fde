#include "tools/argdist/heavy_hitters.h"

#include <doctest/doctest.h>

#include <map>
#include <random>

using unstuck::Vector;
using unstuck::argdist::HeavyHitters;

namespace {

std::map<uint64_t, uint64_t> as_map(const HeavyHitters& h) {
  Vector<HeavyHitters::Counter> counters;
  h.sorted(&counters);
  std::map<uint64_t, uint64_t> m;
  for (const auto& c : counters) m[c.key] = c.count;
  return m;
}

}  // namespace

TEST_CASE("heavy hitters: exact while the keys fit") {
  HeavyHitters h(8);
  std::map<uint64_t, uint64_t> model;
  std::mt19937_64 rng(1);
  bool taken_over;
  for (int i = 0; i < 10000; ++i) {
    uint64_t key = rng() % 8;
    h.add(key, &taken_over);
    ++model[key];
  }
  CHECK(h.exact());
  CHECK(as_map(h) == model);
}

TEST_CASE("heavy hitters: sorted by count, then by key") {
  HeavyHitters h(4);
  bool taken_over;
  for (uint64_t key : {5, 3, 5, 9, 3, 5, 1}) h.add(key, &taken_over);
  Vector<HeavyHitters::Counter> c;
  h.sorted(&c);
  REQUIRE(c.size() == 4);
  CHECK(c[0].key == 5);
  CHECK(c[0].count == 3);
  CHECK(c[1].key == 3);
  CHECK(c[2].key == 1);
  CHECK(c[3].key == 9);
}

// Space-Saving's guarantees: counts overestimate by at most their error,
// every key more frequent than the smallest counter is kept, and the
// counts add up to the stream's length.
TEST_CASE("heavy hitters: Space-Saving bounds on a skewed stream") {
  const uint32_t capacity = 16;
  HeavyHitters h(capacity);
  std::map<uint64_t, uint64_t> truth;
  std::mt19937_64 rng(7);
  bool taken_over;
  uint64_t n = 0;
  for (int i = 0; i < 50000; ++i, ++n) {
    // Keys 0..3 are heavy; the rest churn through 100000 values.
    uint64_t key = rng() % 2 ? rng() % 4 : 1000 + rng() % 100000;
    h.add(key, &taken_over);
    ++truth[key];
  }
  CHECK_FALSE(h.exact());
  Vector<HeavyHitters::Counter> counters;
  h.sorted(&counters);
  uint64_t total = 0, smallest = ~0ULL;
  for (const auto& c : counters) {
    total += c.count;
    if (c.count < smallest) smallest = c.count;
    CHECK(c.count >= truth[c.key]);
    CHECK(c.count - c.error <= truth[c.key]);
  }
  CHECK(total == n);
  for (const auto& [key, count] : truth)
    if (count > smallest) CHECK(as_map(h).count(key) == 1);
  for (uint64_t heavy = 0; heavy < 4; ++heavy) CHECK(as_map(h).count(heavy) == 1);
}

TEST_CASE("heavy hitters: a counter index stays with its key until taken over") {
  HeavyHitters h(2);
  bool taken_over;
  uint32_t a = h.add(10, &taken_over);
  CHECK(taken_over);
  CHECK(h.add(10, &taken_over) == a);
  CHECK_FALSE(taken_over);
  h.add(20, &taken_over);
  h.add(20, &taken_over);
  h.add(20, &taken_over);
  uint32_t c = h.add(30, &taken_over);  // takes the smallest: 10's
  CHECK(taken_over);
  CHECK(c == a);
}

// Every mix of hits, new keys and take-overs, down to one counter: the
// counts still add up to the stream's length and stay within their error.
TEST_CASE("heavy hitters: bounds hold for any capacity and stream") {
  for (uint32_t capacity : {1u, 2u, 3u, 5u, 40u}) {
    for (uint64_t spread : {2ull, 7ull, 50ull, 100000ull}) {
      HeavyHitters h(capacity);
      std::map<uint64_t, uint64_t> truth;
      std::mt19937_64 rng(capacity * 1000 + spread);
      bool taken_over;
      const int n = 20000;
      for (int i = 0; i < n; ++i) {
        uint64_t key = rng() % 3 == 0 ? rng() % 3 : rng() % spread;
        h.add(key, &taken_over);
        ++truth[key];
      }
      Vector<HeavyHitters::Counter> counters;
      h.sorted(&counters);
      uint64_t total = 0;
      for (const auto& c : counters) {
        total += c.count;
        CHECK(c.count >= truth[c.key]);
        CHECK(c.count - c.error <= truth[c.key]);
      }
      CHECK(total == static_cast<uint64_t>(n));
      CHECK(counters.size() == std::min<size_t>(capacity, truth.size()));
    }
  }
}

// A weight is that many adds in a row: same counters, same errors, same
// take-overs.
TEST_CASE("heavy hitters: a weighted add is that many adds") {
  for (uint32_t capacity : {1u, 4u, 40u}) {
    HeavyHitters one(capacity), weighted(capacity);
    std::mt19937_64 rng(capacity);
    bool taken_over;
    for (int i = 0; i < 5000; ++i) {
      uint64_t key = rng() % 2 ? rng() % 8 : rng();
      uint64_t times = 1 + rng() % 5;
      for (uint64_t t = 0; t < times; ++t) one.add(key, &taken_over);
      weighted.add(key, &taken_over, times);
    }
    Vector<HeavyHitters::Counter> a, b;
    one.sorted(&a);
    weighted.sorted(&b);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].key == b[i].key);
      CHECK(a[i].count == b[i].count);
      CHECK(a[i].error == b[i].error);
    }
    CHECK(one.replacements() == weighted.replacements());
  }
}

// Taken-over counters leave stale index entries until the index is
// rebuilt: keys that come back, again and again, over many rebuilds, are
// still found (never given a second counter) and counted right.
TEST_CASE("heavy hitters: keys coming back after being taken over") {
  const uint32_t capacity = 3;
  HeavyHitters h(capacity);
  std::map<uint64_t, uint64_t> truth;
  bool taken_over;
  uint64_t n = 0;
  for (int round = 0; round < 2000; ++round) {
    for (uint64_t key : {7ull, 7ull, 7ull, 100ull + round % 5, 7ull, 200ull + round % 3}) {
      h.add(key, &taken_over);
      ++truth[key];
      ++n;
    }
  }
  Vector<HeavyHitters::Counter> counters;
  h.sorted(&counters);
  REQUIRE(counters.size() == capacity);
  uint64_t total = 0;
  for (size_t i = 0; i < counters.size(); ++i) {
    for (size_t j = i + 1; j < counters.size(); ++j) CHECK(counters[i].key != counters[j].key);
    total += counters[i].count;
    CHECK(counters[i].count >= truth[counters[i].key]);
    CHECK(counters[i].count - counters[i].error <= truth[counters[i].key]);
  }
  CHECK(total == n);
  // 7 is two thirds of the stream: always kept, never taken over.
  CHECK(counters[0].key == 7);
  CHECK(counters[0].count == truth[7]);
  CHECK(counters[0].error == 0);
}

// The victim is a counter of the smallest count, whatever the others.
TEST_CASE("heavy hitters: take-overs always take a smallest counter") {
  HeavyHitters h(4);
  bool taken_over;
  for (int i = 0; i < 10; ++i) h.add(1, &taken_over);
  for (int i = 0; i < 5; ++i) h.add(2, &taken_over);
  h.add(3, &taken_over);
  for (int i = 0; i < 3; ++i) h.add(4, &taken_over);
  // Counts 10, 5, 1 and 3 to start with; each new key then takes over a
  // counter of the smallest count at the time.
  for (uint64_t key = 5; key < 50; ++key) {
    Vector<HeavyHitters::Counter> before;
    h.sorted(&before);
    uint64_t smallest = before.back().count;
    h.add(key, &taken_over);
    CHECK(taken_over);
    Vector<HeavyHitters::Counter> after;
    h.sorted(&after);
    bool found = false;
    for (const auto& c : after) {
      if (c.key != key) continue;
      found = true;
      CHECK(c.count == smallest + 1);
      CHECK(c.error == smallest);
    }
    CHECK(found);
  }
}
