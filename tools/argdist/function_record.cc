#include "tools/argdist/function_record.h"

#include "shared/rt/check.h"
#include "tools/argdist/call_log.h"
#include "tools/argdist/options.h"
#include "tools/argdist/value_stream.h"

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
  // Value records tag returns in the record pointer's low bit.
  UNSTUCK_CHECK((reinterpret_cast<uint64_t>(r) & kReturnRecord) == 0);
  const Signature& s = r->signature;
  r->args.resize(s.params.size());
  for (size_t i = 0; i < s.params.size(); ++i)
    start_value(&r->args[i], s.params[i].type, r->name, s.params[i].name,
                static_cast<int>(i));
  start_value(&r->result, s.result, r->name, "ret", -1);
  AggregateOptions duration = {0};  // a distribution, not frequent values
  r->duration.start(ValueKind::kUnsigned, duration,
                    linear_spec_for(r->name, "duration", -1));
  r->aggregated_params = 0;
  if (s.params.size() <= kMaxStreamedParams) {
    for (size_t i = 0; i < s.params.size(); ++i)
      if (is_aggregated(s.params[i].type.kind)) r->aggregated_params |= uint64_t{1} << i;
  }
  plan_logged_calls(r);
}

LoggedValue LoggedValue::of(uint8_t param, uint8_t word, const ValueType& type) {
  LoggedValue v = {param, word, 0, kShiftUnsigned};
  if (type.kind == ValueKind::kFloat) {
    if (type.size == 4) v.how = kWidenFloat;  // a double is kept as is
    return v;
  }
  if (type.size < 8) v.shift = static_cast<uint8_t>(64 - 8 * type.size);
  if (type.kind == ValueKind::kSigned) v.how = kShiftSigned;
  return v;
}

void plan_logged_calls(FunctionRecord* r) {
  const Signature& s = r->signature;
  CallPlan& plan = r->plan;
  plan = {};
  plan.result = result_is_aggregated(s);
  plan.result_in_xmm0 = s.result_source.where == Where::kSseRegister;
  plan.result_kind = s.result.kind;
  plan.result_size = s.result.size;
  plan.result_kinds = r->result.kinds;
  plan.result_strings = r->result.strings;
  plan.notes = r->result.kinds != nullptr;
  unsigned sse_words = 0;
  // (A parameter on the stack leaves the plan short: such functions are
  // not logged, see logs_calls().)
  for (size_t i = 0; i < s.params.size(); ++i) {
    const Parameter& p = s.params[i];
    if (!is_aggregated(p.type.kind)) continue;
    if (p.source.where != Where::kIntRegister && p.source.where != Where::kSseRegister) return;
    if (plan.count == kMaxLoggedValues) return;
    const uint8_t word = p.source.where == Where::kIntRegister ? p.source.index
                                                                : 6 + p.source.index;
    plan.kinds[plan.count] = r->args[i].kinds;
    plan.values[plan.count++] = LoggedValue::of(static_cast<uint8_t>(i), word, p.type);
    plan.notes |= r->args[i].kinds != nullptr;
    if (p.source.where == Where::kSseRegister && p.source.index + 1u > sse_words)
      sse_words = p.source.index + 1u;
  }
  plan.entry_words = static_cast<uint8_t>(kEntryHeaderWords + kEntryIntegerWords + sse_words);
}

SiteRecord* find_site(FunctionRecord* r, Addr return_address) {
  r->last_site_address = return_address;
  if (SiteRecord** known = r->sites.find(return_address)) return r->last_site = *known;
  SiteRecord* site = new SiteRecord();
  site->return_address = return_address;
  site->args = new Summary[r->signature.params.size() + 1]();
  r->sites.insert(return_address, site);
  return r->last_site = site;
}

}  // namespace unstuck::argdist
