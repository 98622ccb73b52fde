#include "tools/taint/labels.h"

#include "shared/rt/hash_map.h"
#include "shared/vg/valgrind_api.h"
#include "shared/timeline/instruction_clock.h"
#include "tools/taint/sources.h"

namespace unstuck::taint {
namespace {

using shadow::LabelRange;
using shadow::LabelRangeList;

shadow::LabelSets* g_sets = nullptr;
uint64_t g_budget = 0;
unsigned g_shift = 0;           // ranges of new unions are widened to 2^shift
uint64_t g_next_threshold = 0;  // interned sets at which to widen further
uint64_t g_coarsened_since = 0;
UnionStats g_stats = {0, 0, 0};
constexpr unsigned kFirstShift = 8;  // 256-byte blocks first
constexpr unsigned kShiftStep = 4;   // then 16 times wider at each budget
constexpr unsigned kMaxShift = 40;

struct CacheEntry {
  LabelSetId a;
  LabelSetId b;
  LabelSetId result;
};
constexpr unsigned kCacheBits = 16;
CacheEntry g_cache[1u << kCacheBits] = {};

uint32_t cache_slot(LabelSetId a, LabelSetId b) {
  uint32_t h = a * 0x9e3779b1u ^ (b * 0x85ebca6bu + (b >> 7));
  return h >> (32 - kCacheBits);
}

// Called on the slow paths only: widens further once the interned sets
// pass the next threshold.
// Sets with many ranges (a value mixing bytes from all over the input)
// cost as much as many sets: ranges count too, four to a set.
constexpr uint64_t kRangesPerSet = 4;

void check_budget() {
  shadow::LabelSets::Stats stats = g_sets->stats();
  if (stats.interned_sets < g_next_threshold &&
      stats.stored_ranges < kRangesPerSet * g_next_threshold)
    return;
  if (g_shift == 0) {
    g_coarsened_since = timeline::now();
    g_shift = kFirstShift;
  } else if (g_shift < kMaxShift) {
    g_shift += kShiftStep;
  }
  g_next_threshold += g_budget;
}

LabelRange widened(const LabelRange& r) {
  uint64_t block = uint64_t{1} << g_shift;
  uint64_t start = r.start & ~(block - 1);
  uint64_t end = r.end + (block - 1) < r.end ? ~uint64_t{0}
                                             : (r.end + block - 1) & ~(block - 1);
  // Not past the bytes the source has labelled, unless the range was.
  uint64_t extent = source_extent(r.source);
  uint64_t limit = r.end > extent ? r.end : extent;
  if (end > limit) end = limit;
  return LabelRange{r.source, start, end};
}

// Interns `ranges` (any order), widened when coarsening is on.
// Coarse sets hold one range per source, the hull of its ranges: how many
// scattered blocks a value mixes would otherwise still make sets without
// number.
void keep_hulls(Vector<LabelRange>& ranges) {
  size_t kept = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    LabelRange r = widened(ranges[i]);
    size_t j = 0;
    while (j < kept && ranges[j].source != r.source) ++j;
    if (j == kept) {
      ranges[kept++] = r;
    } else {
      if (r.start < ranges[j].start) ranges[j].start = r.start;
      if (r.end > ranges[j].end) ranges[j].end = r.end;
    }
  }
  ranges.resize(kept);
}

LabelSetId make_set(Vector<LabelRange>& ranges) {
  if (g_shift > 0) keep_hulls(ranges);
  LabelSetId id = g_sets->make(ranges.data(), ranges.size());
  check_budget();
  return id;
}

// The coarse label of a single-byte label: its source's block (ids of
// other sets are returned as they are).
HashMap<uint64_t, LabelSetId>* g_blocks = nullptr;

LabelSetId block_of_byte(LabelSetId id) {
  if ((id & shadow::kByteLabelFlag) == 0) return id;
  SourceId source = (id & ~shadow::kByteLabelFlag) >> shadow::kByteLabelOffsetBits;
  uint64_t offset = id & ((1u << shadow::kByteLabelOffsetBits) - 1);
  uint64_t key = (uint64_t{source} << 56) | (uint64_t{g_shift} << 48) | (offset >> g_shift);
  if (const LabelSetId* known = g_blocks->find(key)) return *known;
  uint64_t start = offset & ~((uint64_t{1} << g_shift) - 1);
  LabelSetId block = range_label(source, start, start + (uint64_t{1} << g_shift));
  g_blocks->insert(key, block);
  return block;
}

// Coarsened unions, memoised like LabelSets' own exact ones; the memo is
// emptied when it grows past this many entries.  (It is a second level
// behind g_cache: at 2^20 entries its 24 MB of slots were a third of
// tainted gzip's memory for no measurable gain over 2^16.)
HashMap<uint64_t, LabelSetId>* g_coarse_memo = nullptr;
constexpr size_t kCoarseMemoLimit = 1 << 16;

LabelSetId slow_union(LabelSetId a, LabelSetId b) {
  if (g_shift == 0) {
    LabelSetId id = g_sets->union_of(a, b);
    check_budget();
    return id;
  }
  uint64_t key = (uint64_t{a} << 32) | b;  // a < b
  if (const LabelSetId* known = g_coarse_memo->find(key)) return *known;
  ++g_stats.coarse_unions;
  if (g_coarse_memo->size() >= kCoarseMemoLimit) g_coarse_memo->clear();
  LabelUnion u;
  u.add(a);
  u.add(b);
  LabelSetId id = u.finish();
  g_coarse_memo->insert(key, id);
  return id;
}

}  // namespace

void install_labels(uint64_t budget) {
  g_sets = new shadow::LabelSets();
  g_coarse_memo = new HashMap<uint64_t, LabelSetId>();
  g_blocks = new HashMap<uint64_t, LabelSetId>();
  g_budget = budget;
  g_next_threshold = budget;
}

shadow::LabelSets& label_sets() { return *g_sets; }

LabelSetId union_labels(LabelSetId a, LabelSetId b) {
  if (a == b || b == kEmptyLabelSet) return a;
  if (a == kEmptyLabelSet) return b;
  if (g_shift > 0) {
    // Bytes labelled before coarsening began meet as their blocks.
    a = block_of_byte(a);
    b = block_of_byte(b);
    if (a == b) return a;
  }
  if (a > b) {
    LabelSetId t = a;
    a = b;
    b = t;
  }
  CacheEntry& e = g_cache[cache_slot(a, b)];
  if (e.a == a && e.b == b) {
    ++g_stats.cache_hits;
    return e.result;
  }
  ++g_stats.cache_misses;
  LabelSetId result = slow_union(a, b);
  e = CacheEntry{a, b, result};
  return result;
}

LabelSetId range_label(SourceId source, uint64_t start, uint64_t end) {
  if (start >= end) return kEmptyLabelSet;
  if (g_shift == 0) return g_sets->single(source, start, end);
  LabelRange r = widened(LabelRange{source, start, end});
  LabelSetId id = g_sets->single(source, r.start, r.end);
  check_budget();
  return id;
}

// ---- LabelUnion -------------------------------------------------------------

void LabelUnion::append(const LabelRange& range) {
  if (!ranges_.empty()) {
    LabelRange& last = ranges_.back();
    if (last.source == range.source && range.start >= last.start &&
        range.start <= last.end) {
      if (range.end > last.end) last.end = range.end;
      return;
    }
  }
  ranges_.push_back(range);
}

void LabelUnion::add(LabelSetId id) {
  if (id == kEmptyLabelSet || id == last_) return;
  last_ = id;
  if (ranges_.empty() && single_ == kEmptyLabelSet) {
    single_ = id;
    return;
  }
  if (single_ != kEmptyLabelSet) {
    g_sets->for_each_range(single_, [&](const LabelRange& r) { append(r); });
    single_ = kEmptyLabelSet;
  }
  g_sets->for_each_range(id, [&](const LabelRange& r) { append(r); });
}

void LabelUnion::add_range(SourceId source, uint64_t start, uint64_t end) {
  if (start >= end) return;
  if (single_ != kEmptyLabelSet) {
    g_sets->for_each_range(single_, [&](const LabelRange& r) { append(r); });
    single_ = kEmptyLabelSet;
  }
  last_ = kEmptyLabelSet;
  append(LabelRange{source, start, end});
}

LabelSetId LabelUnion::finish() {
  LabelSetId id;
  if (single_ != kEmptyLabelSet) {
    id = single_;
  } else if (ranges_.empty()) {
    id = kEmptyLabelSet;
  } else {
    id = make_set(ranges_);
  }
  ranges_.clear();
  single_ = kEmptyLabelSet;
  last_ = kEmptyLabelSet;
  return id;
}

unsigned coarsening_shift() { return g_shift; }
UnionStats union_stats() { return g_stats; }
uint64_t coarsened_since() { return g_coarsened_since; }

}  // namespace unstuck::taint
