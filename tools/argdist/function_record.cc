#include "tools/argdist/function_record.h"

#include "tools/argdist/options.h"

namespace unstuck::argdist {
namespace {

void start_value(ValueRecord* record, const ValueType& type,
                 const char* function, const char* value_name, int index) {
  if (!is_aggregated(type.kind)) return;
  // Addresses rarely repeat, so their counters churn on every call: the
  // most frequent pointers are kept on request only.
  bool keep_top = !is_pointer(type.kind) || options().top_pointers;
  AggregateOptions aggregate = {keep_top ? options().top : 0};
  record->values.start(type.kind, aggregate,
                       linear_spec_for(function, value_name, index));
  if (is_pointer(type.kind)) record->kinds = new PointerKindCounts();
  if (type.kind == ValueKind::kString && options().strings)
    record->strings = new TopStrings(options().top, options().string_max);
}

}  // namespace

void start_aggregates(FunctionRecord* r) {
  const Signature& s = r->signature;
  r->args.resize(s.params.size());
  for (size_t i = 0; i < s.params.size(); ++i)
    start_value(&r->args[i], s.params[i].type, r->name, s.params[i].name,
                static_cast<int>(i));
  start_value(&r->result, s.result, r->name, "ret", -1);
  AggregateOptions duration = {0};  // a distribution, not frequent values
  r->duration.start(ValueKind::kUnsigned, duration,
                    linear_spec_for(r->name, "duration", -1));
}

SiteRecord* site_for(FunctionRecord* r, Addr return_address) {
  // Calls come in runs from one place (a loop): check the last site first.
  if (r->last_site != nullptr && r->last_site->return_address == return_address)
    return r->last_site;
  if (SiteRecord** known = r->sites.find(return_address)) return r->last_site = *known;
  SiteRecord* site = new SiteRecord();
  site->return_address = return_address;
  site->args = new Summary[r->signature.params.size() + 1]();
  r->sites.insert(return_address, site);
  return r->last_site = site;
}

}  // namespace unstuck::argdist
