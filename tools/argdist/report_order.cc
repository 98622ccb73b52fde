#include "tools/argdist/report_order.h"

#include "shared/shadow/heap_sort.h"
#include "tools/argdist/call_tracker.h"
#include "tools/argdist/function_selection.h"
#include "tools/argdist/value_stream.h"

namespace unstuck::argdist {
namespace {

bool function_before(const FunctionRecord* a, const FunctionRecord* b) {
  Int by_name = VG_(strcmp)(a->name, b->name);
  if (by_name != 0) return by_name < 0;
  Int by_object = VG_(strcmp)(a->object, b->object);
  if (by_object != 0) return by_object < 0;
  return a->entry < b->entry;
}

bool site_before(const SiteRecord* a, const SiteRecord* b) {
  if (a->calls != b->calls) return a->calls > b->calls;
  return a->return_address < b->return_address;
}

}  // namespace

void sorted_functions(Vector<const FunctionRecord*>* out) {
  out->clear();
  replay_call_log();        // the calls logged since the last replay
  wait_for_aggregation();   // and their values aggregated
  for (FunctionRecord* f : traced_functions())
    if (f->reported) out->push_back(f);
  shadow::heap_sort(out->data(), out->size(), function_before);
}

void sorted_sites(const FunctionRecord& function, Vector<const SiteRecord*>* out) {
  out->clear();
  function.sites.for_each(
      [out](const Addr&, SiteRecord* const& site) { out->push_back(site); });
  shadow::heap_sort(out->data(), out->size(), site_before);
}

void sorted_top_values(const ValueAggregate& values, Vector<HeavyHitters::Counter>* out) {
  values.top()->sorted(out);
  ValueKind kind = values.kind();
  shadow::heap_sort(out->data(), out->size(),
                    [kind](const HeavyHitters::Counter& a, const HeavyHitters::Counter& b) {
                      if (a.count != b.count) return a.count > b.count;
                      return value_less(a.key, b.key, kind);
                    });
}

}  // namespace unstuck::argdist
