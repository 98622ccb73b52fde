// The findings of a run: tainted data reaching a sink.  A finding is a
// (sink kind, code address, detail, label set) with the first time it
// happened, the thread, where in the code (function, file:line, a few
// frames of call stack) and how often; the same sink at the same place
// with the same labels is counted, not repeated.  --sink-times=all keeps
// every time.  At most --max-findings findings (or times) are kept; what
// does not fit is counted.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/timeline/thread_numbers.h"
#include "shared/vg/valgrind_api.h"
#include "tools/taint/labels.h"

namespace unstuck::taint {

enum class SinkKind : uint8_t {
  kBranch,    // a conditional branch on tainted data
  kJump,      // an indirect jump or return to a tainted address
  kCall,      // an indirect call to a tainted address
  kSyscall,   // a tainted syscall argument, or data a syscall reads
  kAddress,   // a load or store through a tainted pointer
  kFunction,  // a tainted argument of a --sink-fn function
  kCheck,     // a failed UNSTUCK_TAINT_ASSERT_(UN)TAINTED
};
inline constexpr int kSinkKinds = 7;
const char* sink_kind_name(SinkKind kind);

struct StackFrame {
  Addr pc;
  const char* function;  // null when unknown
  const char* file;      // null when unknown
  uint32_t line;
};

struct Finding {
  SinkKind kind;
  const char* detail;  // e.g. "write(buf)", "ret", "memcpy: arg 3 (size)"
  LabelSetId labels;
  Addr pc;
  uint64_t time;  // the first time
  timeline::ThreadNumber thread;
  uint64_t count;
  StackFrame* frames;  // frames[0] is the sink itself
  uint32_t frame_count;
  Vector<uint64_t>* times;  // --sink-times=all: every time, in order
};

void install_findings();

// One occurrence of a sink with `labels` (not empty) at `pc` at `time`,
// by thread `tid`.  `detail` must live as long as the run (a literal or
// intern_detail()).  `cache` (may be null) lets a caller that reports
// from one place keep the last finding it hit, to skip the lookup.
struct FindingCache {
  LabelSetId labels;
  uint32_t index;  // kNotKept: the finding did not fit
};
inline constexpr uint32_t kNotKept = ~0u;
void report_finding(SinkKind kind, const char* detail, LabelSetId labels, Addr pc,
                    uint64_t time, ThreadId tid, FindingCache* cache);
// `n` more occurrences of the finding a cache holds, counted by generated
// code that saw the same labels again without calling.
void add_repeats(SinkKind kind, const FindingCache& cache, uint64_t n);

// A copy of `text` that lives as long as the run (equal texts share one).
const char* intern_detail(const char* text);

size_t finding_count();
const Finding& finding(size_t index);
// Occurrences of each kind, including those of dropped findings.
uint64_t occurrences(SinkKind kind);
// Occurrences of findings not kept because --max-findings was reached.
uint64_t dropped_occurrences();

}  // namespace unstuck::taint
