// The label algebra of the run: one LabelSets for the whole process, the
// union the propagation helpers call millions of times, and the policy
// that keeps label sets from growing without bound.
//
// Union goes through a direct-mapped cache in front of LabelSets' memo,
// so that a pair met recently costs a few loads.
//
// Coarsening: a program that mixes every input byte with every other
// (a compressor's hash chain, a checksum) creates a new label set at
// almost every step.  Once more than --label-budget sets are interned, new
// sets are coarse: the ranges of each source become one, their hull,
// widened to aligned blocks of 256 bytes, and 16 times wider again at every
// further budget's worth of sets (clamped to the bytes the source has
// labelled); bytes read from then on are labelled by block too.  Sets made
// before keep their exact ranges; the summary and the JSON say from which
// time ranges are coarse.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/shadow/label_sets.h"

namespace unstuck::taint {

using shadow::LabelSetId;
using shadow::SourceId;
using shadow::kEmptyLabelSet;

void install_labels(uint64_t budget);
shadow::LabelSets& label_sets();

LabelSetId union_labels(LabelSetId a, LabelSetId b);
// {source: [start, end)}, coarsened like a union result.
LabelSetId range_label(SourceId source, uint64_t start, uint64_t end);

// Accumulates a many-way union (the bytes of a buffer) and interns only
// the result.
class LabelUnion {
 public:
  void add(LabelSetId id);
  void add_range(SourceId source, uint64_t start, uint64_t end);
  bool empty() const { return ranges_.empty() && single_ == kEmptyLabelSet; }
  LabelSetId finish();

 private:
  void append(const shadow::LabelRange& range);

  Vector<shadow::LabelRange> ranges_;
  // Fast path: while only one id was added, no ranges are copied.
  LabelSetId single_ = kEmptyLabelSet;
  LabelSetId last_ = kEmptyLabelSet;
};

// Block size of coarsened ranges as a power of two (0: exact), and the
// time coarsening began (0 if it did not).
unsigned coarsening_shift();
uint64_t coarsened_since();

// For -v -v: how unions were answered.
struct UnionStats {
  uint64_t cache_hits;
  uint64_t cache_misses;
  uint64_t coarse_unions;  // coarse sets computed (not found in the memo)
};
UnionStats union_stats();

}  // namespace unstuck::taint
