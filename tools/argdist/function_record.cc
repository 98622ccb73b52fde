#include "tools/argdist/function_record.h"

#include "shared/vg/background_worker.h"
#include "tools/argdist/call_log.h"
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

constexpr size_t kCacheLineBytes = 64;

void start_pending(PendingCalls* p, uint32_t width) {
  p->width = width;
  p->buffers = new uint64_t[PendingCalls::kBuffers * PendingCalls::kCalls * width];
  p->words = p->buffers;
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
  r->aggregated_params = 0;
  if (s.params.size() <= kMaxPendingParams) {
    for (size_t i = 0; i < s.params.size(); ++i)
      if (is_aggregated(s.params[i].type.kind)) r->aggregated_params |= uint64_t{1} << i;
    start_pending(&r->pending_args, kArgsHeader + static_cast<uint32_t>(s.params.size()));
  }
  start_pending(&r->pending_returns, kReturnWidth);
  r->buffers_aggregated = new uint32_t[kCacheLineBytes / sizeof(uint32_t)]();
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
  plan.result = s.result_source.where != Where::kNowhere && is_aggregated(s.result.kind);
  plan.result_in_xmm0 = s.result_source.where == Where::kSseRegister;
  plan.result_kind = s.result.kind;
  plan.result_size = s.result.size;
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
    plan.values[plan.count++] = LoggedValue::of(static_cast<uint8_t>(i), word, p.type);
    plan.notes |= r->args[i].kinds != nullptr;
    if (p.source.where == Where::kSseRegister && p.source.index + 1u > sse_words)
      sse_words = p.source.index + 1u;
  }
  plan.entry_words = static_cast<uint8_t>(kEntryHeaderWords + kEntryIntegerWords + sse_words);
}

namespace {

SiteRecord* site_of(const uint64_t* call) { return reinterpret_cast<SiteRecord*>(call[1]); }

// Call by call, in order.  (Argument by argument would chain every add
// to one aggregate to the one before, through memory; call by call the
// arguments' adds are independent and overlap, and a batch's aggregates
// stay in the cache all the same.)
void aggregate_arguments(FunctionRecord* r, const uint64_t* call, uint32_t calls) {
  const uint32_t width = kArgsHeader + static_cast<uint32_t>(r->signature.params.size());
  const Parameter* params = r->signature.params.data();
  ValueRecord* records = r->args.data();
  for (uint32_t c = 0; c < calls; ++c, call += width) {
    SiteRecord* site = site_of(call);
    if (site != nullptr) ++site->calls;
    for (uint64_t read = call[2]; read != 0; read &= read - 1) {
      const unsigned i = static_cast<unsigned>(__builtin_ctzll(read));
      const uint64_t bits = call[kArgsHeader + i];
      records[i].values.add(bits, call[0]);
      if (site != nullptr) site->args[i].add(bits, params[i].type.kind);
    }
  }
}

void aggregate_returns(FunctionRecord* r, const uint64_t* call, uint32_t calls) {
  const Signature& s = r->signature;
  const bool result = s.result_source.where != Where::kNowhere && is_aggregated(s.result.kind);
  for (uint32_t c = 0; c < calls; ++c, call += kReturnWidth) {
    SiteRecord* site = site_of(call);
    if (site != nullptr) ++site->returns;
    if (result) {
      r->result.values.add(call[3], call[0]);
      if (site != nullptr) site->result.add(call[3], s.result.kind);
    }
    r->duration.add(call[2], call[0]);
    if (site != nullptr) site->duration.add(call[2], ValueKind::kUnsigned);
  }
}

// A buffer handed over: [record, buffer, calls | 1 << 32 for returns].
constexpr uint32_t kArguments = 0, kReturns = 1;

void aggregate_buffer(const background::Job& job) {
  FunctionRecord* r = reinterpret_cast<FunctionRecord*>(job.words[0]);
  const uint64_t* words = reinterpret_cast<const uint64_t*>(job.words[1]);
  const uint32_t calls = static_cast<uint32_t>(job.words[2]);
  const uint32_t which = static_cast<uint32_t>(job.words[2] >> 32);
  if (which == kReturns)
    aggregate_returns(r, words, calls);
  else
    aggregate_arguments(r, words, calls);
  uint32_t* finished = &r->buffers_aggregated[which];
  background::store_release(finished, *finished + 1);
}

void hand_over(FunctionRecord* r, PendingCalls* p, uint32_t which) {
  background::submit({aggregate_buffer,
                      {reinterpret_cast<uint64_t>(r), reinterpret_cast<uint64_t>(p->words),
                       p->used | uint64_t{which} << 32}});
  const uint32_t handed_over = ++p->handed_over;
  p->used = 0;
  p->words = p->buffers + static_cast<size_t>(handed_over % PendingCalls::kBuffers) *
                              PendingCalls::kCalls * p->width;
  // The next buffer is free once the one handed over kBuffers - 1 before
  // it is aggregated.  (The worker's count is read only when the last
  // count read says to wait: it is on the worker's cache line.)
  if (handed_over - p->aggregated_seen < PendingCalls::kBuffers) return;
  uint32_t spins = 0;
  const uint32_t* finished = &r->buffers_aggregated[which];
  while (handed_over - (p->aggregated_seen = background::load_acquire(finished)) >=
         PendingCalls::kBuffers)
    background::pause_briefly(&spins);
}

}  // namespace

void hand_over_arguments(FunctionRecord* r) { hand_over(r, &r->pending_args, kArguments); }
void hand_over_returns(FunctionRecord* r) { hand_over(r, &r->pending_returns, kReturns); }

void wait_for_aggregation() { background::wait_until_idle(); }

void settle_calls(FunctionRecord* r) {
  aggregate_arguments(r, r->pending_args.words, r->pending_args.used);
  r->pending_args.used = 0;
  aggregate_returns(r, r->pending_returns.words, r->pending_returns.used);
  r->pending_returns.used = 0;
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
