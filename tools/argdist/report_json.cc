#include "tools/argdist/report_json.h"

#include "shared/output/json_writer.h"
#include "shared/recorder/recorder.h"
#include "shared/rt/string_builder.h"
#include "shared/vg/client_command.h"
#include "tools/argdist/function_selection.h"
#include "tools/argdist/options.h"
#include "tools/argdist/report_order.h"
#include "tools/argdist/value_text.h"

namespace unstuck::argdist {
namespace {

// The schema's version: readers (unstuck report) refuse others.
constexpr uint64_t kFormatVersion = 1;

// A double as a JSON number; NaN and the infinities, which JSON has no
// numbers for, as the strings "nan", "inf", "-inf".
void write_double(JsonWriter& json, double value) {
  if (value != value) {
    json.string("nan");
  } else if (value > 1.7976931348623157e308 || value < -1.7976931348623157e308) {
    json.string(value > 0 ? "inf" : "-inf");
  } else {
    StringBuilder text;
    append_double(&text, value);
    json.formatted_number(text.c_str());
  }
}

// A value in its kind's domain: signed integers signed, doubles as
// numbers, unsigned integers and pointers unsigned.
void write_value(JsonWriter& json, uint64_t bits, ValueKind kind) {
  if (kind == ValueKind::kSigned) {
    json.signed_number(static_cast<int64_t>(bits));
  } else if (kind == ValueKind::kFloat) {
    double d;
    __builtin_memcpy(&d, &bits, sizeof d);
    write_double(json, d);
  } else {
    json.number(bits);
  }
}

void write_summary(JsonWriter& json, const Summary& s, ValueKind kind) {
  json.field("count", s.count);
  if (s.count == 0) return;
  json.key("min");
  write_value(json, s.min, kind);
  json.key("max");
  write_value(json, s.max, kind);
  json.key("mean");
  write_double(json, s.mean(kind));
  json.key("stddev");
  write_double(json, s.stddev(kind));
}

void write_histogram(JsonWriter& json, const ValueAggregate& values) {
  Vector<Bucket> buckets;
  values.histogram().rows(&buckets);
  json.key("histogram").begin_array();
  for (const Bucket& b : buckets) {
    if (b.count == 0) continue;
    json.begin_array(JsonWriter::kInline);
    write_value(json, b.low, values.kind());
    write_value(json, b.high, values.kind());
    json.number(b.count).end_array();
  }
  json.end_array();
}

// [[low, high, count], ...] with low and high null for the rows below MIN
// and from MAX up.
void write_linear(JsonWriter& json, const LinearHistogram& linear) {
  const Vector<uint64_t>& counts = linear.counts();
  const LinearSpec& spec = linear.spec();
  json.key("linear").begin_object();
  json.key("min").signed_number(spec.min);
  json.key("max").signed_number(spec.max);
  json.key("step").signed_number(spec.step);
  json.key("rows").begin_array();
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    json.begin_array(JsonWriter::kInline);
    if (i == 0) json.null();
    else json.signed_number(spec.min + static_cast<int64_t>(i - 1) * spec.step);
    if (i == counts.size() - 1) json.null();
    else json.signed_number(spec.min + static_cast<int64_t>(i) * spec.step);
    json.number(counts[i]).end_array();
  }
  json.end_array().end_object();
}

void write_top(JsonWriter& json, const ValueAggregate& values) {
  if (values.top() == nullptr) return;
  Vector<HeavyHitters::Counter> top;
  sorted_top_values(values, &top);
  json.field("top_exact", values.top()->exact());
  json.key("top").begin_array();
  for (size_t i = 0; i < top.size() && i < values.top_wanted(); ++i) {
    json.begin_array(JsonWriter::kInline);
    write_value(json, top[i].key, values.kind());
    json.number(top[i].count).end_array();
  }
  json.end_array();
}

void write_pointer_kinds(JsonWriter& json, const PointerKindCounts& kinds) {
  json.key("points_to").begin_object(JsonWriter::kInline);
  for (int k = 0; k < kPointerKinds; ++k)
    if (kinds.counts[k] != 0)
      json.field(pointer_kind_name(static_cast<PointerKind>(k)), kinds.counts[k]);
  json.end_object();
  if (kinds.block_sizes.count == 0) return;
  json.key("heap_blocks").begin_object(JsonWriter::kInline);
  json.field("pointers", kinds.block_sizes.count);
  json.field("min_size", kinds.block_sizes.min).field("max_size", kinds.block_sizes.max);
  json.key("mean_size");
  write_double(json, kinds.block_sizes.mean(ValueKind::kUnsigned));
  json.field("interior", kinds.interior).end_object();
}

void write_strings(JsonWriter& json, const TopStrings& strings) {
  Vector<TopStrings::Entry> top;
  strings.sorted(&top);
  json.key("strings").begin_array();
  for (const TopStrings::Entry& e : top) {
    json.begin_object(JsonWriter::kInline).field("text", e.text);
    if (e.special) json.field("special", true);
    if (e.truncated) json.field("truncated", true);
    json.field("count", e.count).end_object();
  }
  json.end_array();
}

// The fields every distribution has: summary, NaNs, times of the first
// extremes, most frequent values, histograms.
void write_distribution(JsonWriter& json, const ValueAggregate& values) {
  write_summary(json, values.summary(), values.kind());
  if (values.nans() > 0) json.field("nans", values.nans());
  if (values.summary().count == 0) return;
  json.field("first_min_time", values.min_time());
  json.field("first_max_time", values.max_time());
  write_top(json, values);
  write_histogram(json, values);
  if (values.linear() != nullptr) write_linear(json, *values.linear());
}

void write_value_record(JsonWriter& json, const ValueRecord& record) {
  write_distribution(json, record.values);
  if (record.kinds != nullptr) write_pointer_kinds(json, *record.kinds);
  if (record.strings != nullptr) write_strings(json, *record.strings);
}

void write_arguments(JsonWriter& json, const FunctionRecord& f) {
  const Signature& s = f.signature;
  json.key("args").begin_array();
  for (size_t i = 0; i < s.params.size(); ++i) {
    json.begin_object();
    json.field("index", static_cast<uint64_t>(i));
    json.field("name", s.params[i].name).field("type", s.params[i].type.name);
    if (is_aggregated(s.params[i].type.kind))
      write_value_record(json, f.args[i]);
    else
      json.field("aggregated", false);
    json.end_object();
  }
  json.end_array();
  json.key("ret");
  if (!is_aggregated(s.result.kind)) {
    json.null();
    return;
  }
  json.begin_object().field("type", s.result.name);
  write_value_record(json, f.result);
  json.end_object();
}

// The caller and line of the call that returns to `return_address`.
void write_call_site(JsonWriter& json, Addr return_address) {
  DiEpoch epoch = VG_(current_DiEpoch)();
  json.hex_field("call", return_address - 1);
  const HChar* caller = nullptr;
  if (VG_(get_fnname)(epoch, return_address - 1, &caller)) json.field("function", caller);
  const HChar *file = nullptr, *dir = nullptr;
  UInt line = 0;
  if (VG_(get_filename_linenum)(epoch, return_address - 1, &file, &dir, &line))
    json.field("file", file).field("line", static_cast<uint64_t>(line));
}

void write_inline_summary(JsonWriter& json, const char* name, const Summary& s,
                          ValueKind kind) {
  json.key(name).begin_object(JsonWriter::kInline);
  write_summary(json, s, kind);
  json.end_object();
}

void write_sites(JsonWriter& json, const FunctionRecord& f) {
  Vector<const SiteRecord*> sites;
  sorted_sites(f, &sites);
  const Signature& s = f.signature;
  json.key("sites").begin_array();
  for (const SiteRecord* site : sites) {
    json.begin_object();
    write_call_site(json, site->return_address);
    json.field("calls", site->calls).field("returns", site->returns);
    json.key("args").begin_array();
    for (size_t i = 0; i < s.params.size(); ++i) {
      json.begin_object(JsonWriter::kInline);
      if (is_aggregated(s.params[i].type.kind))
        write_summary(json, site->args[i], s.params[i].type.kind);
      json.end_object();
    }
    json.end_array();
    if (is_aggregated(s.result.kind)) write_inline_summary(json, "ret", site->result, s.result.kind);
    write_inline_summary(json, "duration", site->duration, ValueKind::kUnsigned);
    json.end_object();
  }
  json.end_array();
}

const char* origin_name(SignatureOrigin origin) {
  switch (origin) {
    case SignatureOrigin::kDwarf: return "dwarf";
    case SignatureOrigin::kUser: return "option";
    case SignatureOrigin::kBuiltin: return "builtin";
    case SignatureOrigin::kDefault: return "default";
  }
  return "default";
}

void write_function(JsonWriter& json, const FunctionRecord& f) {
  json.begin_object();
  json.field("name", f.name).field("object", f.object);
  // Valgrind names an object without a soname "NONE".
  if (f.soname != nullptr && VG_(strcmp)(f.soname, "NONE") != 0) json.field("soname", f.soname);
  if (f.file != nullptr) json.field("file", f.file).field("line", static_cast<uint64_t>(f.line));
  json.hex_field("entry", f.entry);
  if (f.implementation != nullptr) json.field("implementation", f.implementation);
  if (f.shares_with != nullptr) json.field("counted_in", f.shares_with->name);
  json.field("signature", origin_name(f.signature.origin));
  json.field("calls", f.calls).field("returns", f.returns);
  json.field("unwound", f.unwound).field("unreturned", f.unreturned);
  json.field("tail_calls", f.tail_calls);
  write_arguments(json, f);
  json.key("duration").begin_object();
  write_distribution(json, f.duration);
  json.end_object();
  write_sites(json, f);
  json.end_object();
}

}  // namespace

void write_json_report() {
  StringBuilder text;
  JsonWriter json(text);
  json.begin_object();
  json.field("tool", "argdist").field("argdistFileVersion", kFormatVersion);
  StringBuilder command;
  client_command::append_line(command);
  json.field("command", command.c_str());
  json.field("pid", static_cast<uint64_t>(VG_(getpid)()));
  if (const char* trace = recorder::trace_path()) json.field("trace", trace);
  Vector<const FunctionRecord*> functions;
  sorted_functions(&functions);
  json.key("functions").begin_array();
  for (const FunctionRecord* f : functions) write_function(json, *f);
  json.end_array();
  json.end_object();

  HChar* path = VG_(expand_file_name)("--argdist-out-file", options().out_file);
  int status = write_text_file(path, text);
  if (status < 0) {
    VG_(umsg)("argdist: cannot write %s (error %d)\n", path, -status);
    return;
  }
  if (VG_(clo_verbosity) > 0) VG_(umsg)("argdist: results in %s\n", path);
}

}  // namespace unstuck::argdist
