#include "shared/shadow/label_sets.h"

#include <utility>

#include "shared/rt/check.h"
#include "shared/rt/hash.h"
#include "shared/shadow/heap_sort.h"

namespace unstuck::shadow {
namespace {

constexpr uint64_t kByteLabelOffsetLimit = uint64_t{1} << kByteLabelOffsetBits;
// A builder fed out of order normalises once its list has grown this much
// past its last normalised length, so that repeats do not pile up.
constexpr size_t kBuilderSlack = 1024;

bool is_byte_label(LabelSetId id) { return (id & kByteLabelFlag) != 0; }

bool encodable_as_byte_label(const LabelRange& range) {
  return range.end - range.start == 1 && range.source < kByteLabelSources &&
         range.start < kByteLabelOffsetLimit;
}

LabelSetId byte_label_id(const LabelRange& range) {
  return kByteLabelFlag | (range.source << kByteLabelOffsetBits) |
         static_cast<LabelSetId>(range.start);
}

LabelRange byte_label_range(LabelSetId id) {
  uint64_t offset = id & (kByteLabelOffsetLimit - 1);
  SourceId source = (id & ~kByteLabelFlag) >> kByteLabelOffsetBits;
  return LabelRange{source, offset, offset + 1};
}

bool comes_before(const LabelRange& a, const LabelRange& b) {
  return a.source != b.source ? a.source < b.source : a.start < b.start;
}

// Appends `range` to a list sorted by comes_before, merging it into the
// last range when they overlap or touch.
void append_merging(Vector<LabelRange>& list, const LabelRange& range) {
  if (!list.empty()) {
    LabelRange& last = list.back();
    if (last.source == range.source && range.start <= last.end) {
      if (range.end > last.end) last.end = range.end;
      return;
    }
  }
  list.push_back(range);
}

uint32_t hash_ranges(const LabelRange* ranges, size_t count) {
  uint64_t h = mix64(count);
  for (size_t i = 0; i < count; ++i) {
    h = hash_combine(h, ranges[i].source);
    h = hash_combine(h, ranges[i].start);
    h = hash_combine(h, ranges[i].end);
  }
  return static_cast<uint32_t>(h ^ (h >> 32));
}

constexpr size_t kFirstIndexSlots = 1024;

uint64_t memo_key(LabelSetId a, LabelSetId b) {
  if (a > b) {
    LabelSetId t = a;
    a = b;
    b = t;
  }
  return (static_cast<uint64_t>(a) << 32) | b;
}

}  // namespace

bool LabelSets::SetKey::equals(const LabelRange* other, uint32_t other_count,
                               uint32_t other_hash) const {
  if (hash != other_hash || count != other_count) return false;
  for (uint32_t i = 0; i < count; ++i) {
    const LabelRange& a = ranges[i];
    const LabelRange& b = other[i];
    if (a.source != b.source || a.start != b.start || a.end != b.end)
      return false;
  }
  return true;
}

LabelSets::LabelSets() {
  sets_.push_back(SetKey{nullptr, 0, hash_ranges(nullptr, 0)});
  index_.resize(kFirstIndexSlots);
}

// ---- Sources -------------------------------------------------------------

SourceId LabelSets::add_source(const char* name) {
  size_t length = string_length(name);
  char* copy = static_cast<char*>(storage_.allocate(length + 1, 1));
  for (size_t i = 0; i <= length; ++i) copy[i] = name[i];
  source_names_.push_back(copy);
  return static_cast<SourceId>(source_names_.size() - 1);
}

const char* LabelSets::source_name(SourceId source) const {
  UNSTUCK_CHECK(source < source_names_.size());
  return source_names_[source];
}

// ---- Making sets ---------------------------------------------------------

// The slot holding the set's id, or the empty slot where it belongs.
size_t LabelSets::index_slot(const LabelRange* ranges, uint32_t count,
                             uint32_t hash) const {
  const size_t mask = index_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    LabelSetId id = index_[i];
    if (id == kEmptyLabelSet || sets_[id].equals(ranges, count, hash)) return i;
  }
}

void LabelSets::grow_index() {
  Vector<LabelSetId> old(std::move(index_));
  index_ = Vector<LabelSetId>();
  index_.resize(old.size() * 2);
  const size_t mask = index_.size() - 1;
  for (LabelSetId id : old) {
    if (id == kEmptyLabelSet) continue;
    size_t i = sets_[id].hash & mask;
    while (index_[i] != kEmptyLabelSet) i = (i + 1) & mask;
    index_[i] = id;
  }
}

LabelSetId LabelSets::intern(const LabelRange* ranges, size_t count) {
  if (count == 0) return kEmptyLabelSet;
  const bool byte = count == 1 && encodable_as_byte_label(ranges[0]);
  if (byte && byte_labels_encoded(ranges[0].source, ranges[0].start, ranges[0].end))
    return byte_label_id(ranges[0]);
  const uint32_t n = static_cast<uint32_t>(count);
  const uint32_t hash = hash_ranges(ranges, count);
  size_t slot = index_slot(ranges, n, hash);
  if (index_[slot] != kEmptyLabelSet) return index_[slot];
  if (byte && !narrow_) return byte_label_id(ranges[0]);

  UNSTUCK_CHECK_MSG(sets_.size() < kByteLabelFlag, "label-set ids exhausted");
  if (narrow_) {
    UNSTUCK_CHECK_MSG(sets_.size() < kNarrowIdLimit,
                      "narrow label-set ids exhausted before narrow mode ended");
    if (sets_.size() == soft_limit_) on_soft_limit_();
    if (byte) note_interned_byte(ranges[0]);
  }
  LabelRange* stored = static_cast<LabelRange*>(
      storage_.allocate(count * sizeof(LabelRange), alignof(LabelRange)));
  for (size_t i = 0; i < count; ++i) stored[i] = ranges[i];
  LabelSetId id = static_cast<LabelSetId>(sets_.size());
  sets_.push_back(SetKey{stored, n, hash});
  index_[slot] = id;
  // sets_ holds the empty set too: size() - 1 ids are in the index.
  if ((sets_.size() - 1) * 4 > index_.size() * 3) grow_index();
  stored_ranges_ += count;
  return id;
}

// Sorts by source and start, then merges overlapping or touching ranges.
void LabelSets::normalise(Vector<LabelRange>& ranges) {
  heap_sort(ranges.data(), ranges.size(), comes_before);
  size_t kept = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    const LabelRange& range = ranges[i];
    if (range.start >= range.end) continue;
    if (kept > 0) {
      LabelRange& last = ranges[kept - 1];
      if (last.source == range.source && range.start <= last.end) {
        if (range.end > last.end) last.end = range.end;
        continue;
      }
    }
    ranges[kept++] = range;
  }
  ranges.resize(kept);
}

LabelSetId LabelSets::single(SourceId source, uint64_t start, uint64_t end) {
  UNSTUCK_CHECK(source < source_names_.size());
  UNSTUCK_CHECK(start <= end);
  LabelRange range{source, start, end};
  return start == end ? kEmptyLabelSet : intern(&range, 1);
}

LabelSetId LabelSets::byte_label(SourceId source, uint64_t offset) {
  return single(source, offset, offset + 1);
}

void LabelSets::begin_narrow(LabelSetId soft_limit, void (*on_soft_limit)()) {
  UNSTUCK_CHECK_MSG(sets_.size() == 1 && !narrow_,
                    "narrow mode begins before the first set");
  UNSTUCK_CHECK(soft_limit > 0 && soft_limit < kNarrowIdLimit);
  narrow_ = true;
  soft_limit_ = soft_limit;
  on_soft_limit_ = on_soft_limit;
}

void LabelSets::end_narrow() { narrow_ = false; }

bool LabelSets::byte_labels_encoded(SourceId source, uint64_t start, uint64_t end) const {
  if (narrow_) return false;
  if (source >= interned_byte_hulls_.size()) return true;
  const LabelRange& hull = interned_byte_hulls_[source];
  return end <= hull.start || hull.end <= start;
}

void LabelSets::note_interned_byte(const LabelRange& byte) {
  while (interned_byte_hulls_.size() <= byte.source)
    interned_byte_hulls_.push_back(LabelRange{byte.source, 0, 0});
  LabelRange& hull = interned_byte_hulls_[byte.source];
  if (hull.start == hull.end) {
    hull = byte;
    return;
  }
  if (byte.start < hull.start) hull.start = byte.start;
  if (byte.end > hull.end) hull.end = byte.end;
}

bool LabelSets::narrow_room_for(size_t count) const {
  return sets_.size() + count <= soft_limit_;
}

LabelSetId LabelSets::make(const LabelRange* ranges, size_t count) {
  scratch_.clear();
  for (size_t i = 0; i < count; ++i) {
    UNSTUCK_CHECK(ranges[i].source < source_names_.size());
    UNSTUCK_CHECK(ranges[i].start <= ranges[i].end);
    scratch_.push_back(ranges[i]);
  }
  normalise(scratch_);
  return intern(scratch_.data(), scratch_.size());
}

// A merge of two sorted lists, as in merge sort, coalescing as it goes.
void LabelSets::merge_into_scratch(const LabelRangeList& a,
                                   const LabelRangeList& b) {
  scratch_.clear();
  scratch_.reserve(a.count + b.count);
  size_t i = 0, j = 0;
  while (i < a.count || j < b.count) {
    bool take_a = j == b.count ||
                  (i < a.count && !comes_before(b.ranges[j], a.ranges[i]));
    append_merging(scratch_, take_a ? a.ranges[i++] : b.ranges[j++]);
  }
}

LabelSetId LabelSets::union_of(LabelSetId a, LabelSetId b) {
  if (a == b || b == kEmptyLabelSet) return a;
  if (a == kEmptyLabelSet) return b;
  // A byte already in the other set changes nothing; answering that from the
  // set itself keeps such pairs (a running checksum meeting a byte it has
  // seen) out of the memo table.
  if (is_byte_label(b) && includes_byte(a, b)) return a;
  if (is_byte_label(a) && includes_byte(b, a)) return b;
  uint64_t key = memo_key(a, b);
  if (const LabelSetId* known = unions_.find(key)) {
    ++memo_hits_;
    return *known;
  }
  ++memo_misses_;
  LabelRangeList left, right;
  ranges_of(a, left);
  ranges_of(b, right);
  merge_into_scratch(left, right);
  LabelSetId result = intern(scratch_.data(), scratch_.size());
  unions_.insert(key, result);
  return result;
}

// ---- Reading sets --------------------------------------------------------

void LabelSets::ranges_of(LabelSetId id, LabelRangeList& out) const {
  if (is_byte_label(id)) {
    out.inline_range = byte_label_range(id);
    out.ranges = &out.inline_range;
    out.count = 1;
    return;
  }
  UNSTUCK_CHECK(id < sets_.size());
  out.ranges = sets_[id].ranges;
  out.count = sets_[id].count;
}

size_t LabelSets::range_count(LabelSetId id) const {
  LabelRangeList list;
  ranges_of(id, list);
  return list.count;
}

bool LabelSets::includes_byte(LabelSetId id, LabelSetId byte_label) const {
  LabelRange byte = byte_label_range(byte_label);
  return contains(id, byte.source, byte.start);
}

bool LabelSets::contains(LabelSetId id, SourceId source,
                         uint64_t offset) const {
  LabelRangeList list;
  ranges_of(id, list);
  // Binary search for the last range that starts at or before the byte.
  LabelRange probe{source, offset, offset + 1};
  size_t low = 0, high = list.count;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    if (comes_before(probe, list.ranges[middle])) high = middle;
    else low = middle + 1;
  }
  if (low == 0) return false;
  const LabelRange& candidate = list.ranges[low - 1];
  return candidate.source == source && offset < candidate.end;
}

void LabelSets::format(LabelSetId id, StringBuilder& out) const {
  LabelRangeList list;
  ranges_of(id, list);
  if (list.count == 0) {
    out.append("{}");
    return;
  }
  for (size_t i = 0; i < list.count; ++i) {
    const LabelRange& range = list.ranges[i];
    if (i == 0 || range.source != list.ranges[i - 1].source) {
      if (i > 0) out.append("; ");
      out.append(source_name(range.source)).append(": ");
    } else {
      out.append(", ");
    }
    out.append('[').append_unsigned(range.start).append(", ");
    out.append_unsigned(range.end).append(')');
  }
}

LabelSets::Stats LabelSets::stats() const {
  return Stats{sets_.size() - 1, stored_ranges_, unions_.size(), memo_hits_,
               memo_misses_};
}

// ---- LabelSetBuilder -----------------------------------------------------

void LabelSetBuilder::append(const LabelRange& range) {
  if (!ranges_.empty()) {
    const LabelRange& last = ranges_.back();
    if (last.source == range.source && range.start >= last.start &&
        range.start <= last.end) {
      append_merging(ranges_, range);
      return;
    }
    if (comes_before(range, last)) sorted_ = false;
  }
  ranges_.push_back(range);
  if (!sorted_ && ranges_.size() > normalised_size_ + kBuilderSlack) {
    LabelSets::normalise(ranges_);
    normalised_size_ = ranges_.size();
    sorted_ = true;
  }
}

void LabelSetBuilder::add(LabelSetId id) {
  if (id == kEmptyLabelSet || id == last_added_) return;
  last_added_ = id;
  sets_.for_each_range(id, [&](const LabelRange& range) { append(range); });
}

void LabelSetBuilder::add_range(SourceId source, uint64_t start,
                                uint64_t end) {
  UNSTUCK_CHECK(source < sets_.source_count());
  UNSTUCK_CHECK(start <= end);
  if (start < end) append(LabelRange{source, start, end});
}

LabelSetId LabelSetBuilder::finish() {
  if (!sorted_) LabelSets::normalise(ranges_);
  LabelSetId id = sets_.intern(ranges_.data(), ranges_.size());
  ranges_.clear();
  sorted_ = true;
  normalised_size_ = 0;
  last_added_ = kEmptyLabelSet;
  return id;
}

}  // namespace unstuck::shadow
