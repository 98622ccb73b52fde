#include "tools/taint/sinks.h"

#include "shared/rt/arena.h"
#include "shared/rt/check.h"
#include "shared/rt/vector.h"
#include "shared/timeline/instruction_clock.h"
#include "tools/taint/options.h"

namespace unstuck::taint {
namespace {

Arena* g_sites = nullptr;
Vector<SinkSite*>* g_all_sites = nullptr;

void flush(SinkSite* site) {
  add_repeats(site->kind, site->cache, site->repeats);
  site->repeats = 0;
}

// The outcomes of recent (site, parts) of helper_sink_parts, one per slot
// (a newer one replaces it).  An outcome does not change once known: the
// union of the same parts is the same set (the label budget coarsens only
// sets not made yet), and a finding, once kept or refused, stays so.
struct PartsOutcome {
  const SinkSite* site;
  uint32_t parts[kSinkParts];
  FindingCache outcome;
};
constexpr size_t kOutcomes = 4096;  // a power of two; 128 KB
PartsOutcome* g_outcomes = nullptr;

PartsOutcome& outcome_slot(const SinkSite* site, const uint32_t* parts) {
  uint64_t h = reinterpret_cast<uint64_t>(site);
  for (int i = 0; i < kSinkParts; ++i) h = (h ^ parts[i]) * 0x9e3779b97f4a7c15ULL;
  return g_outcomes[(h >> 40) & (kOutcomes - 1)];
}

bool same_parts(const uint32_t* a, const uint32_t* b) {
  bool same = true;
  for (int i = 0; i < kSinkParts; ++i) same = same && a[i] == b[i];
  return same;
}

LabelSetId union_of_parts(const uint32_t* parts) {
  LabelSetId label = kEmptyLabelSet;
  for (int i = 0; i < kSinkParts; ++i) label = union_labels(label, parts[i]);
  return label;
}

void copy_parts(uint32_t* to, const uint32_t* parts) {
  for (int i = 0; i < kSinkParts; ++i) to[i] = parts[i];
}

}  // namespace

SinkSite* make_site(Addr pc, uint32_t instructions_left, SinkKind kind,
                    const char* detail) {
  if (g_sites == nullptr) {
    g_sites = new Arena();
    g_all_sites = new Vector<SinkSite*>();
    g_outcomes = new PartsOutcome[kOutcomes]();
  }
  SinkSite* site = g_sites->make<SinkSite>(SinkSite{
      pc, instructions_left, kind, detail, FindingCache{kEmptyLabelSet, 0}, 0, {0, 0, 0, 0}});
  g_all_sites->push_back(site);
  return site;
}

void emit_sink_check(LabelIR& ir, SinkSite* site, IRExpr* label, IRExpr* guard) {
  if (LabelIR::is_empty(label)) return;
  ir.add_call(ir.helper_call(ir.both(guard, ir.nonempty(label)), "taint_sink",
                             reinterpret_cast<void*>(&helper_sink),
                             mkIRExprVec_2(ir.word(reinterpret_cast<HWord>(site)),
                                           ir.widen(label)),
                             false));
}

void helper_sink(HWord site_word, HWord label) {
  SinkSite* site = reinterpret_cast<SinkSite*>(site_word);
  // The same labels as last time here: count, nothing more to do.
  if (site->cache.labels == label && !options().all_times) {
    ++site->repeats;
    return;
  }
  flush(site);
  report_finding(site->kind, site->detail, static_cast<LabelSetId>(label), site->pc,
                 timeline::time_of_instruction(site->instructions_left),
                 VG_(get_running_tid)(), &site->cache);
}

void emit_sink_check_of_parts(LabelIR& ir, SinkSite* site, IRExpr* const* parts, int count) {
  UNSTUCK_CHECK(count >= 2 && count <= kSinkParts);
  IRExpr* any = parts[0];
  for (int i = 1; i < count; ++i) any = ir.bind(IRExpr_Binop(Iop_Or32, any, parts[i]));
  IRExpr* args[kSinkParts];
  for (int i = 0; i < kSinkParts; ++i) args[i] = i < count ? ir.widen(parts[i]) : ir.word(0);
  IRExpr* site_word = ir.word(reinterpret_cast<HWord>(site));
  // (Two parts, the usual comparison, take a call of three arguments: the
  // constant zeros of the others cost moves, and spills, at every branch.)
  IRDirty* call =
      count == 2
          ? ir.helper_call(ir.nonempty(any), "taint_sink_two_parts",
                           reinterpret_cast<void*>(&helper_sink_two_parts),
                           mkIRExprVec_3(site_word, args[0], args[1]), false)
          : ir.helper_call(ir.nonempty(any), "taint_sink_parts",
                           reinterpret_cast<void*>(&helper_sink_parts),
                           mkIRExprVec_5(site_word, args[0], args[1], args[2], args[3]), false);
  ir.add_call(call);
}

namespace {

// A sink's parts that were not the site's last (out of line: the caller's
// fast path then saves no registers).
__attribute__((noinline)) void sink_other_parts(SinkSite* site, const uint32_t* parts) {
  if (options().all_times) {  // every occurrence's time is kept: no shortcut
    helper_sink(reinterpret_cast<HWord>(site), union_of_parts(parts));
    return;  // (last_parts stay empty, which parts never are)
  }
  PartsOutcome& known = outcome_slot(site, parts);
  if (known.site == site && same_parts(parts, known.parts)) {
    flush(site);
    site->cache = known.outcome;
    site->repeats = 1;
    copy_parts(site->last_parts, parts);
    return;
  }
  // site->cache is then the union's outcome.
  helper_sink(reinterpret_cast<HWord>(site), union_of_parts(parts));
  copy_parts(site->last_parts, parts);
  known.site = site;
  copy_parts(known.parts, parts);
  known.outcome = site->cache;
}

}  // namespace

void helper_sink_two_parts(HWord site_word, HWord a, HWord b) {
  helper_sink_parts(site_word, a, b, 0, 0);
}

// (The parts are compared in registers, two at a time: this runs at every
// tainted branch, and an array of them on the stack cost a fifth of it.)
void helper_sink_parts(HWord site_word, HWord a, HWord b, HWord c, HWord d) {
  SinkSite* site = reinterpret_cast<SinkSite*>(site_word);
  uint64_t last[2];
  __builtin_memcpy(last, site->last_parts, sizeof last);
  if (((a & 0xffffffff) | b << 32) == last[0] && ((c & 0xffffffff) | d << 32) == last[1]) {
    ++site->repeats;  // the parts that gave the last finding's labels
    return;
  }
  const uint32_t parts[kSinkParts] = {static_cast<uint32_t>(a), static_cast<uint32_t>(b),
                                      static_cast<uint32_t>(c), static_cast<uint32_t>(d)};
  sink_other_parts(site, parts);
}

void flush_sink_sites() {
  if (g_all_sites == nullptr) return;
  for (SinkSite* site : *g_all_sites) flush(site);
}

}  // namespace unstuck::taint
