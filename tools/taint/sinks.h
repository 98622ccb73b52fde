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
struct SinkSite {
  Addr pc;
  uint32_t instructions_left;  // n - k for instruction k of n
  SinkKind kind;
  const char* detail;
  FindingCache cache;
  uint64_t repeats;
};

// A site that lives as long as the run (translations may be discarded,
// but a helper call may still be under way when they are).
SinkSite* make_site(Addr pc, uint32_t instructions_left, SinkKind kind,
                    const char* detail);

// Emits: if (label != empty [&& guard]) helper_sink(site, label).
void emit_sink_check(LabelIR& ir, SinkSite* site, IRExpr* label, IRExpr* guard);

void helper_sink(HWord site, HWord label);

// Adds every site's pending repeats to its finding.  Call before output.
void flush_sink_sites();

}  // namespace unstuck::taint
