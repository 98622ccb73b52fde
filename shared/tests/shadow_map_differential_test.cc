// The shadow map against the reference model (shadow_map_model.h) under
// long runs of random operations.  Addresses cluster where the map's
// structure changes: chunk boundaries, the end of the primary table, the
// vsyscall page and the top of the address space; sizes range from one
// byte to several chunks, with a few huge clears and copies.
#include <doctest/doctest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "shared/shadow/shadow_map.h"
#include "shared/tests/shadow_map_model.h"

namespace {

using unstuck::shadow::kChunkBytes;
using unstuck::shadow::kPrimaryLimit;
using unstuck::shadow::ShadowMap;
using unstuck::shadow::testing::ModelRun;
using unstuck::shadow::testing::ShadowModel;

// Places where bugs live, each with a little room either side.
constexpr uint64_t kHotSpots[] = {
    0,                             // and, below it, the top of the space
    kChunkBytes * 7,
    0x400000,
    0x1ffefff000,                  // a guest stack
    kPrimaryLimit,                 // the end of the primary table
    0x7fff00000000,
    0x8000000000000000,
    0xffffffffff600000,            // the vsyscall page
};

class RandomOperations {
 public:
  RandomOperations(uint64_t seed, uint64_t value_mask)
      : rng_(seed), value_mask_(value_mask) {}

  uint64_t address() {
    uint64_t spot = kHotSpots[rng_() % std::size(kHotSpots)];
    uint64_t spread = 3 * kChunkBytes;
    uint64_t offset = rng_() % (2 * spread);
    if (rng_() % 4 == 0) offset &= ~(kChunkBytes - 1);  // on a boundary
    if (rng_() % 8 == 0) offset += rng_() % 3 - 1;      // just beside one
    return spot + offset - spread;  // wraps around 0 for the top spot
  }

  uint64_t size() {
    switch (rng_() % 20) {
      case 0: return kChunkBytes * (1 + rng_() % 3);  // whole chunks
      case 1: case 2: return 1 + rng_() % (3 * kChunkBytes);
      case 3: case 4: case 5: return 1 + rng_() % 4096;
      default: return 1 + rng_() % 24;
    }
  }

  // Up to 2^63, or nearly all of the address space.
  uint64_t huge_size() {
    if (rng_() % 4 == 0) return 0 - (1 + rng_() % (3 * kChunkBytes));
    return uint64_t{1} << (30 + rng_() % 34);
  }

  // Few distinct values, so that equal neighbours form runs to merge.
  uint64_t value(uint64_t default_value) {
    switch (rng_() % 6) {
      case 0: return default_value;
      case 1: return rng_() & value_mask_;
      default: return (rng_() % 3 + 1) & value_mask_;
    }
  }

  uint64_t below(uint64_t n) { return rng_() % n; }

 private:
  std::mt19937_64 rng_;
  uint64_t value_mask_;
};

template <typename Map>
std::vector<ModelRun> runs_of(const Map& map, uint64_t start, uint64_t size) {
  std::vector<ModelRun> out;
  map.for_each_run(start, size, [&](uint64_t s, uint64_t n, auto value) {
    out.push_back({s, n, static_cast<uint64_t>(value)});
  });
  return out;
}

template <typename Map>
std::vector<ModelRun> all_runs_of(const Map& map) {
  std::vector<ModelRun> out;
  map.for_each_run([&](uint64_t s, uint64_t n, auto value) {
    out.push_back({s, n, static_cast<uint64_t>(value)});
  });
  return out;
}

std::string describe(const std::vector<ModelRun>& runs, size_t at) {
  std::ostringstream text;
  text << std::hex << runs.size() << " runs";
  if (at < runs.size())
    text << ", run " << at << ": [0x" << runs[at].start << ", +0x"
         << runs[at].size << ") = 0x" << runs[at].value;
  return text.str();
}

// Names the first run where the two lists part, on failure.
void require_same_runs(const std::vector<ModelRun>& got,
                       const std::vector<ModelRun>& want) {
  size_t at = 0;
  while (at < got.size() && at < want.size() && got[at] == want[at]) ++at;
  INFO("map: " << describe(got, at));
  INFO("model: " << describe(want, at));
  REQUIRE(got == want);
}

// Whole-map agreement, plus the map's own invariants.
template <typename Map>
void check_everything(Map& map, const ShadowModel& model) {
  require_same_runs(all_runs_of(map), model.all_runs());
  REQUIRE(map.table().distinguished_intact());
  map.compact();
  REQUIRE(map.memory().private_chunks == model.chunks_in_use());
}

template <typename Map>
void run_differential(uint64_t seed, int operations, uint64_t default_value) {
  using T = typename Map::Element;
  constexpr unsigned kShift = __builtin_ctz(Map::kGranule);
  const uint64_t value_mask = static_cast<T>(~uint64_t{0});
  Map map(static_cast<T>(default_value));
  ShadowModel model(kShift, default_value);
  RandomOperations random(seed, value_mask);
  // Bounds the memory of a run: past this, everything is cleared.
  const size_t max_private_bytes = size_t{96} << 20;

  for (int step = 0; step < operations; ++step) {
    const uint64_t addr = random.address();
    const uint64_t choice = random.below(100);
    if (choice < 25) {
      for (uint64_t a : {addr, addr + 1, addr - 1}) {
        INFO("step " << step << ", address " << a);
        REQUIRE(static_cast<uint64_t>(map.get(a)) == model.get(a));
      }
    } else if (choice < 40) {
      uint64_t v = random.value(default_value);
      map.set(addr, static_cast<T>(v));
      model.set_range(addr, 1, v);
    } else if (choice < 60) {
      uint64_t size = random.size(), v = random.value(default_value);
      map.set_range(addr, size, static_cast<T>(v));
      model.set_range(addr, size, v);
    } else if (choice < 69) {
      uint64_t size = random.size();
      map.clear_range(addr, size);
      model.set_range(addr, size, default_value);
    } else if (choice < 81) {
      uint64_t size = random.size();
      uint64_t src = random.below(3) == 0
                         ? addr + random.below(2 * size + 1) - size
                         : random.address();
      map.copy_range(src, addr, size);
      model.copy_range(src, addr, size);
    } else if (choice < 91) {
      uint64_t size = random.size() * (1 + random.below(4));
      require_same_runs(runs_of(map, addr, size), model.runs(addr, size));
    } else if (choice < 97) {
      uint64_t size = random.size();
      REQUIRE(map.is_default(addr, size) == model.is_default(addr, size));
    } else if (choice == 97) {
      uint64_t size = random.huge_size();
      map.clear_range(addr, size);
      model.set_range(addr, size, default_value);
    } else if (choice == 98) {  // huge and sparse, maybe overlapping itself
      uint64_t size = 1 + random.huge_size() / 2;
      uint64_t src = random.below(2) ? random.address()
                                     : addr + random.below(2 * kChunkBytes);
      map.copy_range(src, addr, size);
      model.copy_range(src, addr, size);
    } else {
      uint64_t size = random.huge_size();
      require_same_runs(runs_of(map, addr, size), model.runs(addr, size));
    }
    if (map.memory().private_bytes > max_private_bytes) {
      map.clear_range(0, ~uint64_t{0});
      map.clear_range(~uint64_t{0}, 1);
      model.clear();
      REQUIRE(map.memory().private_chunks == 0);
    }
    if (step % 50000 == 0) check_everything(map, model);
  }
  check_everything(map, model);
}

}  // namespace

TEST_CASE("shadow map matches the model: uint8_t per byte, 10^6 operations") {
  run_differential<ShadowMap<uint8_t>>(1, 1000000, 0);
}

TEST_CASE("shadow map matches the model: uint32_t per byte") {
  run_differential<ShadowMap<uint32_t>>(2, 200000, 0);
}

TEST_CASE("shadow map matches the model: uint16_t per 4 bytes, default set") {
  run_differential<ShadowMap<uint16_t, 4>>(3, 200000, 0xabcd);
}

TEST_CASE("shadow map matches the model: uint64_t per 16 bytes, default set") {
  run_differential<ShadowMap<uint64_t, 16>>(4, 200000, 7);
}

TEST_CASE("shadow map matches the model: uint8_t per 4 KB page") {
  run_differential<ShadowMap<uint8_t, 4096>>(5, 100000, 0);
}
