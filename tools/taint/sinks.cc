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

}  // namespace

SinkSite* make_site(Addr pc, uint32_t instructions_left, SinkKind kind,
                    const char* detail) {
  if (g_sites == nullptr) {
    g_sites = new Arena();
    g_all_sites = new Vector<SinkSite*>();
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
  ir.add_call(ir.helper_call(ir.nonempty(any), "taint_sink_parts",
                             reinterpret_cast<void*>(&helper_sink_parts),
                             mkIRExprVec_5(ir.word(reinterpret_cast<HWord>(site)), args[0],
                                           args[1], args[2], args[3]),
                             false));
}

void helper_sink_parts(HWord site_word, HWord a, HWord b, HWord c, HWord d) {
  SinkSite* site = reinterpret_cast<SinkSite*>(site_word);
  const uint32_t parts[kSinkParts] = {static_cast<uint32_t>(a), static_cast<uint32_t>(b),
                                      static_cast<uint32_t>(c), static_cast<uint32_t>(d)};
  bool same = true;
  for (int i = 0; i < kSinkParts; ++i) same = same && parts[i] == site->last_parts[i];
  // The parts that gave the last finding's labels: count, nothing more.
  if (same && !options().all_times) {
    ++site->repeats;
    return;
  }
  LabelSetId label = kEmptyLabelSet;
  for (uint32_t part : parts) label = union_labels(label, part);
  helper_sink(site_word, label);
  for (int i = 0; i < kSinkParts; ++i) site->last_parts[i] = parts[i];
}

void flush_sink_sites() {
  if (g_all_sites == nullptr) return;
  for (SinkSite* site : *g_all_sites) flush(site);
}

}  // namespace unstuck::taint
