// Sinks in translated code: conditional branches, indirect jumps and
// calls, and (--sink-addresses=yes) loads and stores through tainted
// pointers.  The propagation pass asks for a check wherever a label
// reaches one; the check costs a compare inline and calls the sink helper
// only when the label is not empty.
//
// The helper knows the exact time of the instruction: the site records
// how many instructions of its superblock are left from it (see
// timeline::time_of_instruction).
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"
#include "tools/taint/findings.h"
#include "tools/taint/label_ir.h"

namespace unstuck::taint {

// Each site caches its last finding: while the labels stay those of the
// last finding there, the helper only counts (in `repeats`).  The counts
// reach the finding when the labels change, and at the end
// (flush_sink_sites).  --sink-times=all records every occurrence.
// A sink's labels may come as up to this many parts, not yet united.
inline constexpr int kSinkParts = 4;

struct SinkSite {
  Addr pc;
  uint32_t instructions_left;  // n - k for instruction k of n
  SinkKind kind;
  const char* detail;
  FindingCache cache;
  uint64_t repeats;
  // helper_sink_parts: the parts whose union is cache.labels.
  uint32_t last_parts[kSinkParts];
};

// A site that lives as long as the run (translations may be discarded,
// but a helper call may still be under way when they are).
SinkSite* make_site(Addr pc, uint32_t instructions_left, SinkKind kind,
                    const char* detail);

// Emits: if (label != empty [&& guard]) helper_sink(site, label).
void emit_sink_check(LabelIR& ir, SinkSite* site, IRExpr* label, IRExpr* guard);

void helper_sink(HWord site, HWord label);

// The same check of the union of `count` labels (2 <= count <=
// kSinkParts), made in the sink's own call.  A conditional branch's
// condition is a flags helper's result, whose label is the union of the
// compared operands' labels: at a tainted comparison two different labels
// meet nearly every time (107 million times in tainted gzip -c), and
// uniting them inline costs its own guarded call, and code at every branch.
void emit_sink_check_of_parts(LabelIR& ir, SinkSite* site, IRExpr* const* parts, int count);

// Parts seen at the site last time cost a count.  Other parts whose
// outcome (the union's finding, or none kept) a small table remembers
// cost a lookup: the union and the finding's lookup are made only for
// parts not met lately.  (Tainted gzip -c: 118 million calls, 91 million
// with the last parts, 24 million of the rest found in the table.)
void helper_sink_parts(HWord site, HWord a, HWord b, HWord c, HWord d);
void helper_sink_two_parts(HWord site, HWord a, HWord b);

// Adds every site's pending repeats to its finding.  Call before output.
void flush_sink_sites();

}  // namespace unstuck::taint
