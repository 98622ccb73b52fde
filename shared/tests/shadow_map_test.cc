// The shadow map: element types and granules, boundaries (chunks, the end
// of the primary table, the top of the address space), copy on write,
// huge ranges and memory use.  The random differential test is in
// shadow_map_differential_test.cc.
#include "shared/shadow/shadow_map.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <vector>

namespace {

using unstuck::shadow::kChunkBytes;
using unstuck::shadow::kPrimaryLimit;
using unstuck::shadow::kMinPieceShift;
using unstuck::shadow::ShadowMap;

constexpr uint64_t kTop = ~uint64_t{0};  // the last byte of the space
constexpr uint64_t kMB = uint64_t{1} << 20;
constexpr uint64_t kGB = uint64_t{1} << 30;

struct Run {
  uint64_t start, size, value;
  bool operator==(const Run&) const = default;
};

template <typename Map>
std::vector<Run> runs(const Map& map) {
  std::vector<Run> out;
  map.for_each_run([&](uint64_t start, uint64_t size, auto value) {
    out.push_back({start, size, static_cast<uint64_t>(value)});
  });
  return out;
}

template <typename Map>
std::vector<Run> runs(const Map& map, uint64_t start, uint64_t size) {
  std::vector<Run> out;
  map.for_each_run(start, size, [&](uint64_t s, uint64_t n, auto value) {
    out.push_back({s, n, static_cast<uint64_t>(value)});
  });
  return out;
}

// Resident memory of this process, from /proc (Linux).
uint64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  REQUIRE(f != nullptr);
  unsigned long pages_total = 0, pages_resident = 0;
  REQUIRE(std::fscanf(f, "%lu %lu", &pages_total, &pages_resident) == 2);
  std::fclose(f);
  return uint64_t{pages_resident} * 4096;
}

}  // namespace

TEST_CASE("a new map is default everywhere and owns no chunks") {
  ShadowMap<uint32_t> map(5);
  for (uint64_t addr : {uint64_t{0}, uint64_t{12345}, kPrimaryLimit - 1,
                        kPrimaryLimit, uint64_t{0xffffffffff600000}, kTop})
    CHECK(map.get(addr) == 5);
  CHECK(runs(map).empty());
  CHECK(map.memory().private_chunks == 0);
  CHECK(map.is_default(0, kTop));
}

TEST_CASE("get and set for each element type") {
  ShadowMap<uint8_t> bytes;
  ShadowMap<uint16_t> halves;
  ShadowMap<uint32_t> words;
  ShadowMap<uint64_t> doubles;
  for (uint64_t addr : {uint64_t{0x1000}, kPrimaryLimit + 3, kTop}) {
    bytes.set(addr, 0xab);
    halves.set(addr, 0xabcd);
    words.set(addr, 0xdeadbeef);
    doubles.set(addr, 0x0123456789abcdefULL);
    CHECK(bytes.get(addr) == 0xab);
    CHECK(halves.get(addr) == 0xabcd);
    CHECK(words.get(addr) == 0xdeadbeef);
    CHECK(doubles.get(addr) == 0x0123456789abcdefULL);
    CHECK(words.get(addr - 1) == 0);
    CHECK(words.get(addr + 1) == 0);
  }
}

TEST_CASE("one element covers a granule") {
  ShadowMap<uint32_t, 16> objects;
  objects.set(0x1005, 42);
  for (uint64_t addr = 0x1000; addr < 0x1010; ++addr)
    CHECK(objects.get(addr) == 42);
  CHECK(objects.get(0xfff) == 0);
  CHECK(objects.get(0x1010) == 0);
  // A range touches every granule any of its bytes is in.
  objects.set_range(0x2008, 16, 7);
  CHECK(runs(objects) == std::vector<Run>{{0x1000, 16, 42}, {0x2000, 32, 7}});
  CHECK(runs(objects, 0x2013, 1) == std::vector<Run>{{0x2010, 16, 7}});
}

TEST_CASE("runs are maximal across chunk boundaries and split by values") {
  ShadowMap<uint8_t> map;
  map.set_range(kChunkBytes - 10, 20, 1);
  map.set_range(3 * kChunkBytes - 5, kChunkBytes + 10, 2);
  map.set(3 * kChunkBytes, 3);
  CHECK(runs(map) == std::vector<Run>{{kChunkBytes - 10, 20, 1},
                                      {3 * kChunkBytes - 5, 5, 2},
                                      {3 * kChunkBytes, 1, 3},
                                      {3 * kChunkBytes + 1, kChunkBytes + 4, 2}});
  CHECK(runs(map, 3 * kChunkBytes - 2, 4) ==
        std::vector<Run>{{3 * kChunkBytes - 2, 2, 2},
                         {3 * kChunkBytes, 1, 3},
                         {3 * kChunkBytes + 1, 1, 2}});
}

TEST_CASE("ranges across the end of the primary table") {
  ShadowMap<uint16_t> map;
  map.set_range(kPrimaryLimit - 100, 200, 9);
  CHECK(map.get(kPrimaryLimit - 101) == 0);
  CHECK(map.get(kPrimaryLimit - 100) == 9);
  CHECK(map.get(kPrimaryLimit) == 9);
  CHECK(map.get(kPrimaryLimit + 99) == 9);
  CHECK(map.get(kPrimaryLimit + 100) == 0);
  CHECK(runs(map) == std::vector<Run>{{kPrimaryLimit - 100, 200, 9}});
  map.copy_range(kPrimaryLimit - 100, kPrimaryLimit - 50, 200);
  CHECK(runs(map) == std::vector<Run>{{kPrimaryLimit - 100, 250, 9}});
  map.clear_range(kPrimaryLimit - kChunkBytes, 2 * kChunkBytes);
  CHECK(runs(map).empty());
  CHECK(map.memory().private_chunks == 0);
}

TEST_CASE("ranges that end at the top of the address space") {
  ShadowMap<uint8_t> map;
  map.set_range(kTop - 9, 10, 4);
  CHECK(map.get(kTop) == 4);
  CHECK(map.get(kTop - 9) == 4);
  CHECK(map.get(kTop - 10) == 0);
  CHECK(map.get(0) == 0);
  CHECK(runs(map) == std::vector<Run>{{kTop - 9, 10, 4}});
  CHECK(runs(map, kTop - 4, 5) == std::vector<Run>{{kTop - 4, 5, 4}});
}

TEST_CASE("ranges that wrap past the top of the address space") {
  ShadowMap<uint8_t> map;
  map.set_range(kTop - 3, 8, 6);  // 4 bytes at the top, 4 from address 0
  CHECK(map.get(kTop) == 6);
  CHECK(map.get(3) == 6);
  CHECK(map.get(4) == 0);
  // In address order: a run never wraps.
  CHECK(runs(map) == std::vector<Run>{{0, 4, 6}, {kTop - 3, 4, 6}});
  // A wrapping query reports from its start: the top first.
  CHECK(runs(map, kTop - 1, 4) == std::vector<Run>{{kTop - 1, 2, 6}, {0, 2, 6}});
  // A copy may wrap too, in its source and its destination.
  map.copy_range(kTop - 3, 100, 8);
  CHECK(runs(map, 100, 8) == std::vector<Run>{{100, 8, 6}});
  map.copy_range(100, kTop, 8);
  CHECK(map.get(kTop) == 6);
  CHECK(map.get(6) == 6);
  CHECK(map.get(7) == 0);
  // Nearly the whole space, wrapping, clears all but the gap it leaves.
  map.set(50, 1);
  map.clear_range(51, kTop - 1);  // [51, 2^64) and [0, 48]
  CHECK(runs(map) == std::vector<Run>{{50, 1, 1}});
}

TEST_CASE("copies behave like memmove") {
  ShadowMap<uint32_t> map;
  for (uint64_t i = 0; i < 3 * kChunkBytes; ++i)
    map.set(0x10000 + i, static_cast<uint32_t>(i % 1000 + 1));
  SUBCASE("forwards, overlapping") {
    map.copy_range(0x10000, 0x10000 + 12345, 3 * kChunkBytes);
    for (uint64_t i = 0; i < 3 * kChunkBytes; i += 7)
      REQUIRE(map.get(0x10000 + 12345 + i) == i % 1000 + 1);
  }
  SUBCASE("backwards, overlapping") {
    map.copy_range(0x10000 + 12345, 0x10000, 3 * kChunkBytes - 12345);
    for (uint64_t i = 0; i < 3 * kChunkBytes - 12345; i += 7)
      REQUIRE(map.get(0x10000 + i) == (i + 12345) % 1000 + 1);
  }
  SUBCASE("whole chunks, from default space") {
    map.copy_range(0x100000, 0x10000, 3 * kChunkBytes);
    CHECK(runs(map).empty());
    CHECK(map.memory().private_chunks == 0);
  }
}

TEST_CASE("granule copies between congruent and other addresses") {
  ShadowMap<uint8_t, 8> map;
  map.set_range(0x1000, 64, 1);
  map.set(0x1008, 2);
  map.copy_range(0x1000, 0x2000, 64);  // congruent: granule for granule
  CHECK(runs(map, 0x2000, 64) ==
        std::vector<Run>{{0x2000, 8, 1}, {0x2008, 8, 2}, {0x2010, 48, 1}});
  // dst mod 8 = 3: granule k of the destination gets granule k counted
  // from the granule of src - 3.
  map.copy_range(0x1008 + 3, 0x3003, 8);
  CHECK(runs(map, 0x3000, 16) == std::vector<Run>{{0x3000, 8, 2}, {0x3008, 8, 1}});
}

TEST_CASE("copy on write: default chunks cost nothing") {
  ShadowMap<uint8_t> map;
  SUBCASE("writing the default allocates nothing") {
    map.set(0x5000, 0);
    map.set(kPrimaryLimit + 5, 0);
    map.set_range(0, 4 * kGB, 0);
    map.set_range(kTop - 10 * kGB, 10 * kGB, 0);
    map.copy_range(0x10000, 0x20000000, kGB);
    CHECK(map.memory().private_chunks == 0);
  }
  SUBCASE("a first write makes one private chunk") {
    map.set(0x5000, 1);
    map.set(0x5001, 1);
    CHECK(map.memory().private_chunks == 1);
    CHECK(map.memory().private_bytes == kChunkBytes);
    map.set(kPrimaryLimit + 5, 1);
    CHECK(map.memory().private_chunks == 2);
  }
  SUBCASE("clearing whole chunks frees them at once, partial clears on compact") {
    map.set_range(0x20000, 3 * kChunkBytes, 1);
    map.set(kTop, 1);
    CHECK(map.memory().private_chunks == 4);
    map.clear_range(0x20000, kChunkBytes);  // one whole chunk
    CHECK(map.memory().private_chunks == 3);
    map.clear_range(0x30000, kChunkBytes / 2);  // a whole chunk in halves
    map.clear_range(0x30000 + kChunkBytes / 2, kChunkBytes / 2);
    map.clear_range(kTop, 1);
    CHECK(map.memory().private_chunks == 3);
    CHECK(map.compact() == 2);
    CHECK(map.memory().private_chunks == 1);
    CHECK(runs(map) == std::vector<Run>{{0x40000, kChunkBytes, 1}});
  }
  CHECK(map.table().distinguished_intact());
}

TEST_CASE("the elements past every chunk's end hold the overread value") {
  using unstuck::shadow::kChunkOverreadBytes;
  using unstuck::shadow::ShadowTable;
  ShadowTable table(2, 1, 0, 0xffff);
  auto overread_of = [](const uint8_t* chunk) {
    const uint16_t* past = reinterpret_cast<const uint16_t*>(chunk + 2 * kChunkBytes);
    return std::vector<uint16_t>(past, past + kChunkOverreadBytes / 2);
  };
  const std::vector<uint16_t> marked(kChunkOverreadBytes / 2, 0xffff);
  const unstuck::shadow::TableView view = table.view();
  CHECK(view.overread_value == 0xffff);
  CHECK(overread_of(view.distinguished) == marked);
  // A private chunk, then one reused after its predecessor went back to
  // the default (its pages given back) -- stores never reach past the end.
  table.set_range(0x70000 - 8, 16, 7);  // the last bytes of one chunk, the first of the next
  CHECK(overread_of(table.chunk_for_read(0x60000)) == marked);
  table.clear_range(0x60000, 2 * kChunkBytes);
  table.set(0x90000, 3);
  CHECK(overread_of(table.chunk_for_read(0x90000)) == marked);
  CHECK(table.get(0x90000) == 3);
}

TEST_CASE("huge ranges run at chunk speed") {
  ShadowMap<uint8_t> map;
  const uint64_t base = 0x100000000;
  map.set_range(base, kGB, 3);
  CHECK(map.memory().private_bytes == kGB);
  CHECK(runs(map) == std::vector<Run>{{base, kGB, 3}});
  CHECK_FALSE(map.is_default(base + kGB / 2, 1));
  // Overlapping copy of a gigabyte, a quarter of it onto itself.
  map.set(base, 9);
  map.copy_range(base, base + kGB / 4, kGB);
  CHECK(map.get(base + kGB / 4) == 9);
  CHECK(runs(map) == std::vector<Run>{{base, 1, 9},
                                      {base + 1, kGB / 4 - 1, 3},
                                      {base + kGB / 4, 1, 9},
                                      {base + kGB / 4 + 1, kGB - 1, 3}});
  map.clear_range(0, kTop);
  map.clear_range(kTop, 1);
  CHECK(map.memory().private_chunks == 0);
  // Default space of any size costs nothing to walk.
  map.set(kTop - 5, 1);
  map.set(12, 1);
  CHECK(runs(map, 0, kTop).size() == 2);
  map.copy_range(0, uint64_t{1} << 62, uint64_t{1} << 62);
  CHECK(map.get((uint64_t{1} << 62) + 12) == 1);
  CHECK(map.memory().private_chunks == 3);
}

TEST_CASE("mapping 1 GB is free; touching 64 MB of it costs 64 MB") {
  const uint64_t before = resident_bytes();
  {
    ShadowMap<uint8_t> map;
    const uint64_t base = 0x7f0000000;  // a typical mmap area
    map.set_range(base, kGB, 0);        // mmap: the default, free
    CHECK(map.memory().private_bytes == 0);
    const uint64_t fixed = map.memory().fixed_bytes;
    const uint64_t with_table = resident_bytes();

    map.set_range(base + 100 * kMB, 64 * kMB, 1);  // aligned to chunks
    CHECK(map.memory().private_bytes == 64 * kMB);
    map.clear_range(base + 100 * kMB, 64 * kMB);
    CHECK(map.memory().private_bytes == 0);
    map.set_range(base + 100 * kMB + 12345, 64 * kMB, 1);  // not aligned
    CHECK(map.memory().private_bytes == 64 * kMB + kChunkBytes);

    // Resident memory agrees with the accounting, within allocator slack.
    const uint64_t after = resident_bytes();
    INFO("fixed overhead " << fixed / 1024 << " KB; resident growth "
            << (with_table - before) / 1024 << " KB for the table, "
            << (after - with_table) / 1024 << " KB for 64 MB touched");
    CHECK(after - with_table <= 64 * kMB + kChunkBytes + 4 * kMB);
    CHECK(with_table - before <= 4 * kMB);
    // Address space: the 16 MB primary table and the map of live pieces,
    // both on zero pages (resident only where written, as just checked).
    CHECK(fixed <= 17 * kMB + (kPrimaryLimit >> kMinPieceShift));
  }
}

// A piece is 1 KB of application space: with 4-byte elements, one 4 KB
// page of shadow.
TEST_CASE("live pieces: a chunk costs the pages of the pieces that hold values") {
  constexpr uint64_t kPiece = uint64_t{1} << kMinPieceShift;
  constexpr uint64_t kPieceShadow = 4 * kPiece;
  ShadowMap<uint32_t> map;
  const uint64_t base = 0x7f0000000;

  SUBCASE("a label makes its piece live, the default written around it does not") {
    map.set(base + 5, 9);
    CHECK(map.memory().private_chunks == 1);
    CHECK(map.memory().live_bytes == kPieceShadow);
    map.set_range(base + kPiece, 10 * kPiece, 0);  // the default: nothing to write
    map.set(base + 3 * kPiece + 1, 0);
    CHECK(map.memory().live_bytes == kPieceShadow);
    map.set_range(base + kPiece - 2, 4, 7);  // across two pieces
    CHECK(map.memory().live_bytes == 2 * kPieceShadow);
    CHECK(runs(map) == std::vector<Run>{{base + 5, 1, 9}, {base + kPiece - 2, 4, 7}});
  }
  SUBCASE("copies carry live pieces, not whole chunks") {
    map.set(base + 100, 3);
    map.copy_range(base, base + 5 * kChunkBytes, kChunkBytes);  // a whole chunk
    map.copy_range(base, base + 9 * kChunkBytes + 512, kChunkBytes / 2);
    CHECK(map.memory().private_chunks == 3);
    // One piece in the first copy; the misaligned one spans two pieces.
    CHECK(map.memory().live_bytes == 4 * kPieceShadow);
    CHECK(map.get(base + 5 * kChunkBytes + 100) == 3);
    CHECK(map.get(base + 9 * kChunkBytes + 612) == 3);
  }
  SUBCASE("compact() retires pieces that went back to the default") {
    map.set_range(base, 8 * kPiece, 4);
    map.set(base + 20 * kPiece, 5);
    map.clear_range(base, 8 * kPiece);
    CHECK(map.memory().live_bytes == 9 * kPieceShadow);
    CHECK(map.compact() == 0);
    CHECK(map.memory().live_bytes == kPieceShadow);
    map.clear_range(base + 20 * kPiece, 1);
    CHECK(map.compact() == 1);
    CHECK(map.memory().private_chunks == 0);
    CHECK(map.memory().live_bytes == 0);
    // A chunk used again after a free holds only the default.
    map.set(base + 30 * kPiece, 6);
    CHECK(runs(map) == std::vector<Run>{{base + 30 * kPiece, 1, 6}});
  }
  CHECK(map.table().distinguished_intact());
}

TEST_CASE("live pieces: pages retired by compact() stop being resident") {
  constexpr uint64_t kPiece = uint64_t{1} << kMinPieceShift;
  ShadowMap<uint32_t> map;
  const uint64_t base = 0x7f0000000;
  const uint64_t chunks = 64;  // 16 MB of shadow if it were all resident
  map.set(base, 1);            // the tables' first pages
  const uint64_t before = resident_bytes();
  for (uint64_t c = 0; c < chunks; ++c) {
    map.set_range(base + c * kChunkBytes + kPiece, 32 * kPiece, 2);  // half of each
    map.set(base + c * kChunkBytes + 40 * kPiece, 3);
  }
  const uint64_t written = resident_bytes();
  for (uint64_t c = 0; c < chunks; ++c) map.clear_range(base + c * kChunkBytes + kPiece, 32 * kPiece);
  CHECK(map.compact() == 0);
  const uint64_t after = resident_bytes();
  INFO("resident growth " << (written - before) / 1024 << " KB written, "
                          << (after - before) / 1024 << " KB after compact");
  CHECK(written - before >= chunks * 32 * 4 * kPiece);
  CHECK(after - before <= chunks * 2 * 4 * kPiece + (uint64_t{1} << 20));
  CHECK(map.memory().live_bytes == (chunks + 1) * 4 * kPiece);  // and base
}
