#include "tools/taint/summary.h"

#include "shared/recorder/recorder.h"
#include "shared/rt/string_builder.h"
#include "tools/taint/findings.h"
#include "tools/taint/label_text.h"
#include "tools/taint/labels.h"
#include "tools/taint/options.h"
#include "tools/taint/propagation_helpers.h"
#include "tools/taint/shadow_state.h"
#include "tools/taint/sources.h"

namespace unstuck::taint {
namespace {

// The order findings are shown in: what an attacker controls most first.
int severity(SinkKind kind) {
  switch (kind) {
    case SinkKind::kJump: return 0;
    case SinkKind::kCall: return 1;
    case SinkKind::kFunction: return 2;
    case SinkKind::kSyscall: return 3;
    case SinkKind::kCheck: return 4;
    case SinkKind::kAddress: return 5;
    case SinkKind::kBranch: return 6;
  }
  return 7;
}

bool shown_before(const Finding& a, const Finding& b) {
  if (severity(a.kind) != severity(b.kind)) return severity(a.kind) < severity(b.kind);
  return a.time < b.time;
}

// The indices of the top `limit` findings, best first.
Vector<uint32_t> top_findings(size_t limit) {
  Vector<uint32_t> top;
  for (size_t i = 0; i < finding_count(); ++i) {
    const Finding& f = finding(i);
    if (top.size() == limit && !shown_before(f, finding(top.back()))) continue;
    if (top.size() < limit) top.push_back(0);
    size_t j = top.size() - 1;
    while (j > 0 && shown_before(f, finding(top[j - 1]))) {
      top[j] = top[j - 1];
      --j;
    }
    top[j] = static_cast<uint32_t>(i);
  }
  return top;
}

void print_frame(const char* prefix, const StackFrame& frame) {
  StringBuilder line;
  line.append("      ").append(prefix).append(" 0x").append_hex(frame.pc).append(": ");
  line.append(frame.function != nullptr ? frame.function : "???");
  if (frame.file != nullptr)
    line.append(" (").append(frame.file).append(':').append_unsigned(frame.line).append(')');
  VG_(umsg)("%s\n", line.c_str());
}

void print_sources() {
  VG_(umsg)("Taint sources: %lu\n", static_cast<unsigned long>(source_count()));
  for (SourceId id = 0; id < source_count(); ++id) {
    StringBuilder line;
    append_ranges(labelled_ranges(id), id, line);
    VG_(umsg)("  %s (%s): %s\n", label_sets().source_name(id),
              source_kind_name(source_kind(id)), line.c_str());
  }
}

void print_counts() {
  StringBuilder line;
  for (int k = 0; k < kSinkKinds; ++k) {
    uint64_t kept = 0;
    for (size_t i = 0; i < finding_count(); ++i)
      if (static_cast<int>(finding(i).kind) == k) ++kept;
    if (k > 0) line.append(", ");
    line.append(sink_kind_name(static_cast<SinkKind>(k))).append(' ').append_unsigned(kept);
    uint64_t n = occurrences(static_cast<SinkKind>(k));
    if (n != kept) line.append(" (").append_unsigned(n).append(" times)");
  }
  VG_(umsg)("Taint findings: %lu: %s\n", static_cast<unsigned long>(finding_count()),
            line.c_str());
  if (dropped_occurrences() > 0)
    VG_(umsg)("  %llu occurrences of findings not kept (--max-findings=%llu)\n",
              static_cast<unsigned long long>(dropped_occurrences()),
              static_cast<unsigned long long>(options().max_findings));
  if (coarsening_shift() > 0)
    VG_(umsg)("  label ranges widened to %llu-byte blocks from time %llu "
              "(--label-budget=%llu)\n",
              1ull << coarsening_shift(), static_cast<unsigned long long>(coarsened_since()),
              static_cast<unsigned long long>(options().label_budget));
}

void print_finding(const Finding& f) {
  StringBuilder head;
  head.append("  ").append(sink_kind_name(f.kind));
  if (f.detail != nullptr) head.append(" (").append(f.detail).append(')');
  head.append(" at time ").append_unsigned(f.time).append(", thread ");
  head.append_unsigned(f.thread);
  if (f.count > 1) head.append(", ").append_unsigned(f.count).append(" times");
  VG_(umsg)("%s\n", head.c_str());
  for (uint32_t i = 0; i < f.frame_count && i < 4; ++i)
    print_frame(i == 0 ? "at" : "by", f.frames[i]);
  StringBuilder inputs;
  append_labels(f.labels, inputs);
  VG_(umsg)("      inputs: %s\n", inputs.c_str());
  if (recorder::is_on())
    VG_(umsg)("      visit: unstuck replay --goto %llu\n", static_cast<unsigned long long>(f.time));
}

// -v -v: what the label algebra and the shadow memory cost.
void print_statistics() {
  shadow::LabelSets::Stats s = label_sets().stats();
  VG_(umsg)("taint: %llu label sets interned, %llu ranges; unions: %llu memo entries, "
            "%llu hits, %llu misses\n",
            (unsigned long long)s.interned_sets, (unsigned long long)s.stored_ranges,
            (unsigned long long)s.memo_entries, (unsigned long long)s.memo_hits,
            (unsigned long long)s.memo_misses);
  UnionStats u = union_stats();
  VG_(umsg)("taint: union cache: %llu hits, %llu misses; %llu coarse unions computed\n",
            (unsigned long long)u.cache_hits, (unsigned long long)u.cache_misses,
            (unsigned long long)u.coarse_unions);
  const HelperCounts& c = g_helper_counts;
  VG_(umsg)("taint: helper calls: %llu unions, %llu vector unions, %llu loads, %llu snapshot "
            "loads, %llu snapshot stores, %llu guarded stores, %llu dirty\n",
            (unsigned long long)c.unions, (unsigned long long)c.element_unions,
            (unsigned long long)c.loads, (unsigned long long)c.snapshot_loads,
            (unsigned long long)c.snapshot_stores, (unsigned long long)c.guarded_stores,
            (unsigned long long)c.dirty_calls);
  shadow::MemoryUse m = memory_labels().memory();
  VG_(umsg)("taint: shadow memory: %llu private chunks, %llu MB, live %llu MB, fixed %llu MB\n",
            (unsigned long long)m.private_chunks, (unsigned long long)(m.private_bytes >> 20),
            (unsigned long long)(m.live_bytes >> 20), (unsigned long long)(m.fixed_bytes >> 20));
  if (labels_in_play())
    VG_(umsg)("taint: the first label at time %llu (translations before it had no propagation)\n",
              (unsigned long long)first_label_time());
  else
    VG_(umsg)("taint: no label all run (no translation had propagation)\n");
  if (labels_widened_at() != 0)
    VG_(umsg)("taint: labels in memory widened from 16 to 32 bits at time %llu\n",
              (unsigned long long)labels_widened_at());
  else
    VG_(umsg)("taint: labels in memory are %s\n",
              memory_labels().narrow() ? "16 bits wide" : "32 bits wide");
}

}  // namespace

void print_summary(const char* output_path) {
  if (VG_(clo_verbosity) == 0 && finding_count() == 0) return;
  VG_(umsg)("\n");
  print_sources();
  print_counts();
  Vector<uint32_t> top = top_findings(options().summary_findings);
  if (!top.empty()) {
    VG_(umsg)("Top findings:\n");
    for (uint32_t index : top) print_finding(finding(index));
    if (!recorder::is_on())
      VG_(umsg)("To visit them in time, record the run (--record=yes), then: "
                "unstuck replay --goto TIME\n");
  }
  if (output_path != nullptr) VG_(umsg)("Taint results in %s\n", output_path);
  if (VG_(clo_verbosity) > 1) print_statistics();
}

}  // namespace unstuck::taint
