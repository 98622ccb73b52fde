#include "tools/taint/sinks.h"

#include "shared/rt/arena.h"
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
  SinkSite* site = g_sites->make<SinkSite>(
      SinkSite{pc, instructions_left, kind, detail, FindingCache{kEmptyLabelSet, 0}, 0});
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

void flush_sink_sites() {
  if (g_all_sites == nullptr) return;
  for (SinkSite* site : *g_all_sites) flush(site);
}

}  // namespace unstuck::taint
