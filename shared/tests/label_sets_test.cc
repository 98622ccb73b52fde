#include "shared/shadow/label_sets.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

using unstuck::StringBuilder;
using unstuck::shadow::kByteLabelFlag;
using unstuck::shadow::kEmptyLabelSet;
using unstuck::shadow::kNarrowIdLimit;
using unstuck::shadow::LabelRange;
using unstuck::shadow::LabelSetBuilder;
using unstuck::shadow::LabelSetId;
using unstuck::shadow::LabelSets;
using unstuck::shadow::SourceId;

std::string text(const LabelSets& sets, LabelSetId id) {
  StringBuilder out;
  sets.format(id, out);
  return out.c_str();
}

// The bytes of a set, for comparing against a model.
std::set<std::pair<SourceId, uint64_t>> bytes_of(const LabelSets& sets,
                                                 LabelSetId id) {
  std::set<std::pair<SourceId, uint64_t>> out;
  sets.for_each_range(id, [&](const LabelRange& range) {
    for (uint64_t b = range.start; b < range.end; ++b)
      out.insert({range.source, b});
  });
  return out;
}

}  // namespace

TEST_CASE("sources have names and dense ids") {
  LabelSets sets;
  CHECK(sets.add_source("input.bin") == 0);
  CHECK(sets.add_source("socket:3") == 1);
  CHECK(std::string(sets.source_name(1)) == "socket:3");
  CHECK(sets.source_count() == 2);
}

TEST_CASE("equal sets get equal ids") {
  LabelSets sets;
  SourceId in = sets.add_source("in");
  LabelSetId a = sets.single(in, 16, 20);
  CHECK(a != kEmptyLabelSet);
  CHECK(sets.single(in, 16, 20) == a);
  CHECK(sets.single(in, 16, 16) == kEmptyLabelSet);
  // However it was assembled.
  LabelSetId halves = sets.union_of(sets.single(in, 16, 18), sets.single(in, 18, 20));
  CHECK(halves == a);
  LabelRange pieces[] = {{in, 19, 20}, {in, 16, 17}, {in, 17, 19}, {in, 18, 18}};
  CHECK(sets.make(pieces, 4) == a);
  CHECK(sets.stats().interned_sets == 3);  // [16,20), [16,18), [18,20)
}

TEST_CASE("ids stay the same while the interning index grows") {
  // 5000 sets pass the index's first sizes several times over.
  LabelSets sets;
  SourceId in = sets.add_source("in");
  std::vector<LabelSetId> ids;
  for (uint64_t i = 0; i < 5000; ++i) ids.push_back(sets.single(in, 2 * i, 2 * i + 2));
  CHECK(sets.stats().interned_sets == 5000);
  for (uint64_t i = 0; i < 5000; ++i) {
    CHECK(sets.single(in, 2 * i, 2 * i + 2) == ids[i]);
    CHECK(text(sets, ids[i]) == "in: [" + std::to_string(2 * i) + ", " +
                                    std::to_string(2 * i + 2) + ")");
  }
  CHECK(sets.stats().interned_sets == 5000);
}

TEST_CASE("single bytes are encoded in the id and cost no table entry") {
  LabelSets sets;
  SourceId in = sets.add_source("in");
  LabelSetId byte = sets.single(in, 123456, 123457);
  CHECK((byte & kByteLabelFlag) != 0);
  CHECK(sets.stats().interned_sets == 0);
  CHECK(sets.range_count(byte) == 1);
  CHECK(sets.contains(byte, in, 123456));
  CHECK_FALSE(sets.contains(byte, in, 123457));
  CHECK(text(sets, byte) == "in: [123456, 123457)");
  // A set that is one such byte always gets the encoded id.
  LabelSetId wide = sets.single(in, 123456, 123458);
  LabelRange one[] = {{in, 123456, 123457}};
  CHECK(sets.make(one, 1) == byte);
  CHECK(sets.union_of(byte, wide) == wide);
  // Offsets past the encoding's reach are interned like any other set.
  LabelSetId far = sets.single(in, uint64_t{1} << 40, (uint64_t{1} << 40) + 1);
  CHECK((far & kByteLabelFlag) == 0);
  CHECK(sets.contains(far, in, uint64_t{1} << 40));
}

TEST_CASE("union merges ranges per source and keeps sources apart") {
  LabelSets sets;
  SourceId file = sets.add_source("input.bin");
  SourceId net = sets.add_source("net");
  LabelSetId a = sets.union_of(sets.single(file, 24, 30), sets.single(net, 0, 4));
  LabelSetId b = sets.union_of(sets.single(file, 10, 20), sets.single(file, 18, 22));
  LabelSetId ab = sets.union_of(a, b);
  CHECK(sets.union_of(b, a) == ab);
  CHECK(sets.union_of(ab, a) == ab);
  CHECK(sets.union_of(ab, kEmptyLabelSet) == ab);
  CHECK(sets.union_of(kEmptyLabelSet, ab) == ab);
  CHECK(text(sets, ab) == "input.bin: [10, 22), [24, 30); net: [0, 4)");
  CHECK(text(sets, sets.union_of(ab, sets.single(file, 22, 24))) ==
        "input.bin: [10, 30); net: [0, 4)");
  CHECK(text(sets, sets.single(file, 16, 20)) == "input.bin: [16, 20)");
  CHECK(text(sets, kEmptyLabelSet) == "{}");
}

TEST_CASE("a repeated union is a memo-table hit") {
  LabelSets sets;
  SourceId in = sets.add_source("in");
  LabelSetId a = sets.single(in, 0, 10), b = sets.single(in, 20, 30);
  LabelSetId ab = sets.union_of(a, b);
  auto before = sets.stats();
  CHECK(sets.union_of(a, b) == ab);
  CHECK(sets.union_of(b, a) == ab);
  auto after = sets.stats();
  CHECK(after.memo_hits == before.memo_hits + 2);
  CHECK(after.memo_misses == before.memo_misses);
  CHECK(after.interned_sets == before.interned_sets);
}

TEST_CASE("10^6 adjacent byte labels merge into one range") {
  LabelSets sets;
  SourceId in = sets.add_source("input.bin");
  const uint64_t n = 1000000;
  const LabelSetId whole = sets.single(in, 0, n);
  const size_t sets_before = sets.stats().interned_sets;

  SUBCASE("through a builder: one set, no intermediates") {
    LabelSetBuilder builder(sets);
    for (uint64_t i = 0; i < n; ++i) builder.add(sets.single(in, i, i + 1));
    CHECK(builder.finish() == whole);
    CHECK(sets.stats().interned_sets == sets_before);
    CHECK(sets.range_count(whole) == 1);
  }
  SUBCASE("folded pairwise: one range, one set per distinct prefix") {
    LabelSetId acc = kEmptyLabelSet;
    for (uint64_t i = 0; i < n; ++i) acc = sets.union_of(acc, sets.single(in, i, i + 1));
    CHECK(acc == whole);
    CHECK(sets.range_count(acc) == 1);
    // The byte labels cost nothing; each prefix [0, i) is a set of its own
    // (n - 2 of them besides [0, n) and the first byte), one range each.
    CHECK(sets.stats().interned_sets == sets_before + n - 2);
    CHECK(sets.stats().stored_ranges == sets.stats().interned_sets);
  }
  SUBCASE("folding the same bytes again is free") {
    LabelSetId acc = whole;
    for (uint64_t i = 0; i < n; ++i) acc = sets.union_of(acc, sets.single(in, i, i + 1));
    CHECK(acc == whole);
    CHECK(sets.stats().interned_sets == sets_before);
    CHECK(sets.stats().memo_entries == 0);
  }
}

TEST_CASE("builder with ranges out of order") {
  LabelSets sets;
  SourceId a = sets.add_source("a"), b = sets.add_source("b");
  LabelSetBuilder builder(sets);
  CHECK(builder.finish() == kEmptyLabelSet);
  builder.add_range(b, 5, 6);
  builder.add_range(a, 100, 200);
  builder.add(sets.single(a, 0, 50));
  builder.add_range(a, 50, 60);
  builder.add_range(b, 0, 5);
  LabelSetId id = builder.finish();
  CHECK(text(sets, id) == "a: [0, 60), [100, 200); b: [0, 6)");
  CHECK(builder.empty());
}

// Sets made at random beside a model of their bytes: every union is
// checked against the model, and check_interning() that equal byte sets
// have equal ids and different ones different ids.
struct RandomSets {
  explicit RandomSets(LabelSets& s) : sets(s) {}
  void add_single(SourceId source, uint64_t start, uint64_t end) {
    ids.push_back(sets.single(source, start, end));
    std::set<std::pair<SourceId, uint64_t>> bytes;
    for (uint64_t b = start; b < end; ++b) bytes.insert({source, b});
    model.push_back(bytes);
  }
  void add_union(std::mt19937_64& rng) {
    size_t i = rng() % ids.size(), j = rng() % ids.size();
    LabelSetId u = sets.union_of(ids[i], ids[j]);
    auto bytes = model[i];
    bytes.insert(model[j].begin(), model[j].end());
    REQUIRE(bytes_of(sets, u) == bytes);
    ids.push_back(u);
    model.push_back(bytes);
  }
  void check_interning(std::mt19937_64& rng, int pairs) const {
    for (int k = 0; k < pairs; ++k) {
      size_t i = rng() % ids.size(), j = rng() % ids.size();
      REQUIRE((ids[i] == ids[j]) == (model[i] == model[j]));
    }
  }
  LabelSets& sets;
  std::vector<LabelSetId> ids = {kEmptyLabelSet};
  std::vector<std::set<std::pair<SourceId, uint64_t>>> model = {{}};
};

TEST_CASE("label sets agree with a model of byte sets") {
  LabelSets sets;
  for (int s = 0; s < 20; ++s) sets.add_source(("s" + std::to_string(s)).c_str());
  std::mt19937_64 rng(7);
  RandomSets random(sets);
  for (int step = 0; step < 20000; ++step) {
    if (rng() % 3 == 0 || random.ids.size() < 4) {
      uint64_t start = rng() % 200 + (rng() % 8 == 0 ? (uint64_t{1} << 27) - 100 : 0);
      random.add_single(rng() % 20, start, start + rng() % 6);
    } else {
      random.add_union(rng);
    }
  }
  random.check_interning(rng, 20000);
}

namespace {
int g_soft_limit_calls = 0;
void count_soft_limit() { ++g_soft_limit_calls; }
}  // namespace

TEST_CASE("narrow mode interns single bytes, and they keep their ids after it") {
  LabelSets sets;
  SourceId in = sets.add_source("in");
  g_soft_limit_calls = 0;
  sets.begin_narrow(40, count_soft_limit);
  CHECK(!sets.byte_labels_encoded(in, 1000, 1001));
  std::vector<LabelSetId> bytes;
  for (uint64_t b = 0; b < 30; ++b) bytes.push_back(sets.byte_label(in, b));
  for (uint64_t b = 0; b < 30; ++b) {
    CHECK(bytes[b] == b + 1);  // ids count up from 1
    CHECK(sets.byte_label(in, b) == bytes[b]);
    CHECK(text(sets, bytes[b]) == "in: [" + std::to_string(b) + ", " + std::to_string(b + 1) + ")");
  }
  CHECK(sets.narrow_room_for(9));  // ids 31..39
  CHECK(!sets.narrow_room_for(10));
  CHECK(g_soft_limit_calls == 0);
  LabelSetId both = sets.union_of(bytes[3], bytes[4]);
  for (uint64_t b = 30; b < 45; ++b) sets.byte_label(in, b);
  CHECK(g_soft_limit_calls == 1);  // once, when id 40 was handed out
  sets.end_narrow();
  CHECK(!sets.byte_labels_encoded(in, 40, 50));  // bytes 0..44 stay interned
  CHECK(sets.byte_labels_encoded(in, 45, 50));
  CHECK(sets.byte_label(in, 7) == bytes[7]);
  CHECK(sets.single(in, 7, 8) == bytes[7]);
  LabelRange seven{in, 7, 8};
  CHECK(sets.make(&seven, 1) == bytes[7]);
  LabelSetId wide = sets.byte_label(in, 1000);
  CHECK((wide & kByteLabelFlag) != 0);
  // A union that comes back to a single byte finds the interned id.
  CHECK(sets.union_of(bytes[3], bytes[3]) == bytes[3]);
  CHECK(sets.union_of(both, bytes[4]) == both);
  CHECK(g_soft_limit_calls == 1);
}

TEST_CASE("narrow mode, then wide: equal sets keep equal ids (random)") {
  LabelSets sets;
  for (int s = 0; s < 4; ++s) sets.add_source(("s" + std::to_string(s)).c_str());
  g_soft_limit_calls = 0;
  sets.begin_narrow(3000, count_soft_limit);
  std::mt19937_64 rng(11);
  RandomSets random(sets);
  for (int step = 0; step < 20000; ++step) {
    if (g_soft_limit_calls > 0 && sets.narrow()) sets.end_narrow();
    if (sets.narrow())
      REQUIRE(std::all_of(random.ids.begin(), random.ids.end(),
                          [](LabelSetId id) { return id < kNarrowIdLimit; }));
    if (rng() % 3 == 0 || random.ids.size() < 4) {
      uint64_t start = rng() % 400;
      random.add_single(rng() % 4, start, start + 1 + rng() % 3 / 2);  // mostly single bytes
    } else {
      random.add_union(rng);
    }
  }
  CHECK(g_soft_limit_calls == 1);
  CHECK(!sets.narrow());
  random.check_interning(rng, 40000);
}
