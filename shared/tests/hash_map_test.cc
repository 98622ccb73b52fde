#include "shared/rt/hash_map.h"

#include <doctest/doctest.h>

#include <random>
#include <unordered_map>

TEST_CASE("hash map insert, find, overwrite") {
  unstuck::HashMap<uint64_t, int> m;
  CHECK(m.find(7) == nullptr);
  auto [v, inserted] = m.insert(7, 70);
  CHECK(inserted);
  CHECK(*v == 70);
  CHECK_FALSE(m.insert(7, 71).second);
  CHECK(*m.find(7) == 70);
  m[7] = 72;
  CHECK(*m.find(7) == 72);
  CHECK(m[8] == 0);
  CHECK(m.size() == 2);
}

TEST_CASE("hash map agrees with std::unordered_map under random operations") {
  unstuck::HashMap<uint64_t, uint64_t> m;
  std::unordered_map<uint64_t, uint64_t> model;
  std::mt19937_64 rng(42);
  // A small key space forces long probe runs, collisions and many erasures
  // in the middle of runs (the backward-shift path).
  for (int step = 0; step < 200000; ++step) {
    uint64_t key = rng() % 512;
    switch (rng() % 3) {
      case 0:
        m[key] = step;
        model[key] = step;
        break;
      case 1:
        CHECK(m.erase(key) == (model.erase(key) == 1));
        break;
      case 2: {
        const uint64_t* got = m.find(key);
        auto it = model.find(key);
        REQUIRE((got == nullptr) == (it == model.end()));
        if (got) CHECK(*got == it->second);
      }
    }
  }
  CHECK(m.size() == model.size());
  size_t visited = 0;
  m.for_each([&](uint64_t k, uint64_t v) {
    ++visited;
    CHECK(model.at(k) == v);
  });
  CHECK(visited == model.size());
}

TEST_CASE("hash map with keys that collide in the low bits") {
  unstuck::HashMap<uint64_t, uint64_t> m;
  for (uint64_t i = 0; i < 10000; ++i) m[i << 32] = i;
  for (uint64_t i = 0; i < 10000; i += 2) CHECK(m.erase(i << 32));
  for (uint64_t i = 0; i < 10000; ++i) {
    const uint64_t* v = m.find(i << 32);
    if (i % 2 == 0) {
      CHECK(v == nullptr);
    } else {
      REQUIRE(v != nullptr);
      CHECK(*v == i);
    }
  }
}
