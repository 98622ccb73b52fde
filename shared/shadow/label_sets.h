// Label sets for taint: which input bytes a value was computed from.
//
// A label names a source (a file, a socket, ...: a small integer with a
// registered name) and a byte range [start, end) of it.  A label set is a
// list of such ranges sorted by source and start, in which ranges of one
// source never overlap or touch (they merge): however the bytes of a 100 MB
// input were combined, all of them together are one range.
//
// Sets are interned (hash-consed): equal sets have equal 32-bit ids, so the
// shadow map stores one id per byte and comparing sets is comparing ids.
// Id 0 is the empty set ("untainted").  Union is memoised on the ordered id
// pair, so the hot path's common case -- two sets that have met before --
// is one hash lookup.
//
// A single-byte label costs no table entry: for the first
// kByteLabelSources sources and offsets below 2^kByteLabelOffsetBits
// (128 MB) the id itself encodes the source and offset (bit 31 set), so
// labelling every byte of a large input separately interns nothing.
//
// Narrow mode, for a tool whose shadow holds 16-bit ids while the run has
// few sets: every set is interned, single bytes too, so ids count up from 1
// and stay below kNarrowIdLimit.  When they reach a soft limit the owner is
// told once, and must end narrow mode before they reach the hard one; after
// that, single bytes get encoded ids again, except the bytes interned while
// narrow, which keep their ids (equal sets keep equal ids).
//
// Pairwise union creates one set per distinct result: folding n labels one
// by one interns up to n intermediate sets.  A many-way union (the bytes of
// a buffer, a load of several bytes) goes through LabelSetBuilder instead,
// which merges in scratch space and interns only the final set.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "shared/rt/arena.h"
#include "shared/rt/hash_map.h"
#include "shared/rt/string_builder.h"
#include "shared/rt/vector.h"

namespace unstuck::shadow {

using LabelSetId = uint32_t;
using SourceId = uint32_t;

inline constexpr LabelSetId kEmptyLabelSet = 0;
inline constexpr LabelSetId kByteLabelFlag = 0x80000000u;
inline constexpr unsigned kByteLabelOffsetBits = 27;
// (Not 16: the last source number would make an id of all ones.)
inline constexpr SourceId kByteLabelSources = 15;
// Ids of narrow mode (below) stay below this, so that they fit 16 bits.
inline constexpr LabelSetId kNarrowIdLimit = 0xffffu;
// No id is all ones, in 32 bits nor, in narrow mode, in 16: a shadow map of
// ids may hold these where no label can be (its overread elements, see
// shadow_map.h).
inline constexpr LabelSetId kNeverAnId = 0xffffffffu;
inline constexpr LabelSetId kNeverANarrowId = kNarrowIdLimit;

struct LabelRange {
  SourceId source;
  uint64_t start;
  uint64_t end;  // exclusive
};

// The ranges of one set: a view into the table, or into `inline_range` for
// a single-byte label.
struct LabelRangeList {
  const LabelRange* ranges;
  size_t count;
  LabelRange inline_range;
};

class LabelSets {
 public:
  LabelSets();
  LabelSets(const LabelSets&) = delete;
  LabelSets& operator=(const LabelSets&) = delete;

  // Sources: ids 0, 1, 2, ... in the order registered.  The name is copied.
  SourceId add_source(const char* name);
  const char* source_name(SourceId source) const;
  size_t source_count() const { return source_names_.size(); }

  // {source: [start, end)}; the empty set when start == end.
  LabelSetId single(SourceId source, uint64_t start, uint64_t end);
  LabelSetId union_of(LabelSetId a, LabelSetId b);
  // The set of `count` ranges in any order, overlapping or not.
  LabelSetId make(const LabelRange* ranges, size_t count);

  // The id of {source: [offset, offset + 1)}.
  LabelSetId byte_label(SourceId source, uint64_t offset);
  // True when byte_label() of every byte of source [start, end) is the
  // encoded id, found without a lookup: not in narrow mode, and none of
  // these bytes was interned in it.
  bool byte_labels_encoded(SourceId source, uint64_t start, uint64_t end) const;

  // Narrow mode (see above): `on_soft_limit()` runs when the id
  // `soft_limit` is handed out, wherever that happens.
  void begin_narrow(LabelSetId soft_limit, void (*on_soft_limit)());
  void end_narrow();
  bool narrow() const { return narrow_; }
  // In narrow mode: `count` new sets would still leave ids below the soft
  // limit.
  bool narrow_room_for(size_t count) const;

  // The ranges behind an id (the returned list may point into itself, so
  // keep it alive while using `ranges`).
  void ranges_of(LabelSetId id, LabelRangeList& out) const;
  size_t range_count(LabelSetId id) const;
  bool contains(LabelSetId id, SourceId source, uint64_t offset) const;
  // fn(const LabelRange&) for each range, sorted by source then start.
  template <typename Fn>
  void for_each_range(LabelSetId id, Fn&& fn) const {
    LabelRangeList list;
    ranges_of(id, list);
    for (size_t i = 0; i < list.count; ++i) fn(list.ranges[i]);
  }
  // Appends e.g. "input.bin: [16, 20), [24, 30); stdin: [0, 4)", or "{}".
  void format(LabelSetId id, StringBuilder& out) const;

  struct Stats {
    size_t interned_sets;  // table entries, not counting id 0 or byte labels
    size_t stored_ranges;
    size_t memo_entries;
    uint64_t memo_hits;
    uint64_t memo_misses;
  };
  Stats stats() const;

 private:
  friend class LabelSetBuilder;

  // A set's ranges, as stored (16 bytes: there is one per set).
  struct SetKey {
    const LabelRange* ranges;
    uint32_t count;
    uint32_t hash;
    bool equals(const LabelRange* other, uint32_t other_count, uint32_t other_hash) const;
  };

  bool includes_byte(LabelSetId id, LabelSetId byte_label) const;
  void note_interned_byte(const LabelRange& byte);
  // `ranges` must be sorted and merged (see normalise()).
  LabelSetId intern(const LabelRange* ranges, size_t count);
  static void normalise(Vector<LabelRange>& ranges);
  // The interning index: an open-addressing table of ids (0 marks an empty
  // slot), hashed by their SetKey's hash.  Holding ids rather than keys
  // keeps it at 4 bytes a slot; it was a third of the sets' memory.
  size_t index_slot(const LabelRange* ranges, uint32_t count, uint32_t hash) const;
  void grow_index();
  void merge_into_scratch(const LabelRangeList& a, const LabelRangeList& b);

  Arena storage_;                // ranges of interned sets, source names
  Vector<SetKey> sets_;          // id -> ranges; sets_[0] is the empty set
  Vector<LabelSetId> index_;     // a power of two slots, at most 3/4 full
  HashMap<uint64_t, LabelSetId> unions_;  // (low id << 32 | high id) -> id
  Vector<const char*> source_names_;
  Vector<LabelRange> scratch_;
  size_t stored_ranges_ = 0;
  bool narrow_ = false;
  LabelSetId soft_limit_ = 0;
  void (*on_soft_limit_)() = nullptr;
  // By source: the hull of the single bytes interned in narrow mode.
  Vector<LabelRange> interned_byte_hulls_;
  uint64_t memo_hits_ = 0;
  uint64_t memo_misses_ = 0;
};

// Accumulates the union of many sets or ranges, interning only the result.
// Ranges added in ascending order (a buffer read front to back) merge as
// they come, so the scratch list stays as short as the result.
class LabelSetBuilder {
 public:
  explicit LabelSetBuilder(LabelSets& sets) : sets_(sets) {}

  void add(LabelSetId id);
  void add_range(SourceId source, uint64_t start, uint64_t end);
  bool empty() const { return ranges_.empty(); }
  // The union of everything added; the builder is empty again afterwards.
  LabelSetId finish();

 private:
  void append(const LabelRange& range);

  LabelSets& sets_;
  Vector<LabelRange> ranges_;
  bool sorted_ = true;
  size_t normalised_size_ = 0;  // list length after the last normalise
  LabelSetId last_added_ = kEmptyLabelSet;
};

}  // namespace unstuck::shadow
