#include "tools/argdist/report_text.h"

#include "shared/rt/string_builder.h"
#include "tools/argdist/function_selection.h"
#include "tools/argdist/report_order.h"
#include "tools/argdist/text_utils.h"
#include "tools/argdist/value_text.h"

namespace unstuck::argdist {
namespace {

constexpr int kBarWidth = 40;
constexpr int kMinimumValueWidth = 18;  // DTrace's; wider for longer labels

void pad_left(StringBuilder* out, const char* text, int width) {
  for (int i = static_cast<int>(string_length(text)); i < width; ++i) out->append(' ');
  out->append(text);
}

// A histogram row before layout: its label, its count, or a "~" for
// elided empty rows.
struct Row {
  StringBuilder label;
  uint64_t count;
  bool elision;
};

// The rows under DTrace's header: the value right-aligned, a bar of '@'
// rounded to the nearest of 40 columns (as DTrace does), the count.
void append_rows(StringBuilder* out, const Vector<Row>& rows, uint64_t total) {
  int width = kMinimumValueWidth;
  for (const Row& r : rows)
    if (static_cast<int>(r.label.size()) > width) width = static_cast<int>(r.label.size());
  pad_left(out, "value", width);
  out->append("  ------------- Distribution ------------- count\n");
  for (const Row& r : rows) {
    pad_left(out, r.elision ? "~" : r.label.c_str(), width);
    out->append(" |");
    if (r.elision) {
      out->append('\n');
      continue;
    }
    uint64_t bars = total == 0 ? 0 : (r.count * 2 * kBarWidth + total) / (2 * total);
    for (int i = 0; i < kBarWidth; ++i) out->append(i < static_cast<int>(bars) ? '@' : ' ');
    out->append(' ').append_unsigned(r.count).append('\n');
  }
}

// DTrace labels a bucket by its bound nearest zero.
void bucket_label(StringBuilder* label, const Bucket& b, ValueKind kind) {
  bool negative = kind == ValueKind::kSigned ? static_cast<int64_t>(b.high) < 0
                  : kind == ValueKind::kFloat ? (b.high >> 63) != 0
                                              : false;
  append_value(label, negative ? b.high : b.low, kind, false);
}

// Runs of empty rows longer than this between two non-empty ones are
// shown as their first and last rows around a "~" row, as SystemTap does
// (a double's histogram spans 2^-64 to 2^63).
constexpr size_t kLongestEmptyRun = 3;

bool elided(const Vector<Bucket>& buckets, size_t i) {
  if (buckets[i].count != 0) return false;
  size_t start = i, end = i;
  while (start > 0 && buckets[start - 1].count == 0) --start;
  while (end + 1 < buckets.size() && buckets[end + 1].count == 0) ++end;
  return end - start + 1 > kLongestEmptyRun && i != start && i != end;
}

void append_log2_histogram(StringBuilder* out, const ValueAggregate& values) {
  Vector<Bucket> buckets;
  values.histogram().rows(&buckets);
  Vector<Row> rows;
  for (size_t i = 0; i < buckets.size(); ++i) {
    bool skip = elided(buckets, i);
    if (skip && elided(buckets, i - 1)) continue;
    Row& row = rows.emplace_back();
    row.count = buckets[i].count;
    row.elision = skip;
    if (!skip) bucket_label(&row.label, buckets[i], values.kind());
  }
  append_rows(out, rows, values.summary().count);
}

// DTrace's lquantize() rows: "< MIN", one per STEP, ">= MAX", from one row
// before the first non-empty one to one after the last.
void append_linear_histogram(StringBuilder* out, const LinearHistogram& linear,
                             uint64_t total) {
  const Vector<uint64_t>& counts = linear.counts();
  const LinearSpec& spec = linear.spec();
  size_t first = counts.size(), last = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    if (first == counts.size()) first = i;
    last = i;
  }
  if (first == counts.size()) return;
  first = first > 0 ? first - 1 : 0;
  last = last + 1 < counts.size() ? last + 1 : last;
  Vector<Row> rows;
  for (size_t i = first; i <= last; ++i) {
    Row& row = rows.emplace_back();
    row.count = counts[i];
    row.elision = false;
    if (i == 0)
      row.label.append("< ").append_signed(spec.min);
    else if (i == counts.size() - 1)
      row.label.append(">= ").append_signed(spec.max);
    else
      row.label.append_signed(spec.min + static_cast<int64_t>(i - 1) * spec.step);
  }
  out->append("  linear:\n");
  append_rows(out, rows, total);
}

void append_summary(StringBuilder* out, const ValueAggregate& values) {
  const Summary& s = values.summary();
  out->append("count ");
  append_grouped(out, s.count);
  if (s.count > 0) {
    out->append(", min ");
    append_value(out, s.min, values.kind(), true);
    out->append(", max ");
    append_value(out, s.max, values.kind(), true);
    // The mean address of a pointer says nothing (the JSON has it anyway).
    if (!is_pointer(values.kind())) {
      out->append(", mean ");
      append_double(out, s.mean(values.kind()));
      out->append(", stddev ");
      append_double(out, s.stddev(values.kind()));
    }
  }
  if (values.nans() > 0) {
    out->append(", NaN ");
    append_grouped(out, values.nans());
  }
  out->append('\n');
}

void append_top(StringBuilder* out, const ValueAggregate& values) {
  if (values.top() == nullptr || values.summary().count == 0) return;
  Vector<HeavyHitters::Counter> top;
  sorted_top_values(values, &top);
  out->append("  most frequent");
  out->append(values.top()->exact() ? ":" : " (approximate: counts are upper bounds):");
  for (size_t i = 0; i < top.size() && i < values.top_wanted(); ++i) {
    out->append(i == 0 ? " " : ", ");
    append_value(out, top[i].key, values.kind(), true);
    out->append(" x");
    append_grouped(out, top[i].count);
  }
  out->append('\n');
}

void append_pointer_kinds(StringBuilder* out, const PointerKindCounts& kinds) {
  out->append("  points to:");
  bool first = true;
  for (int k = 0; k < kPointerKinds; ++k) {
    if (kinds.counts[k] == 0) continue;
    out->append(first ? " " : ", ");
    first = false;
    out->append(pointer_kind_name(static_cast<PointerKind>(k))).append(' ');
    append_grouped(out, kinds.counts[k]);
  }
  out->append('\n');
  const Summary& blocks = kinds.block_sizes;
  if (blocks.count == 0) return;
  out->append("  heap blocks: ");
  append_grouped(out, blocks.count);
  out->append(" pointers into known blocks of ");
  append_grouped(out, blocks.min);
  out->append(" to ");
  append_grouped(out, blocks.max);
  out->append(" bytes (mean ");
  append_double(out, blocks.mean(ValueKind::kUnsigned));
  out->append("), ");
  append_grouped(out, kinds.interior);
  out->append(" not at the block's start\n");
}

void append_strings(StringBuilder* out, const TopStrings& strings) {
  Vector<TopStrings::Entry> top;
  strings.sorted(&top);
  out->append("  strings:\n");
  for (const TopStrings::Entry& e : top) {
    out->append("    ");
    if (e.special) out->append(e.text);
    else out->append_json_string(e.text);
    if (e.truncated) out->append("...");
    out->append(" x");
    append_grouped(out, e.count);
    out->append('\n');
  }
}

// Times in instructions, ungrouped: ready for `unstuck replay --goto`.
void append_extreme_times(StringBuilder* out, const ValueAggregate& values) {
  out->append("  first min at time ").append_unsigned(values.min_time());
  out->append(", first max at time ").append_unsigned(values.max_time()).append('\n');
}

void append_value_report(StringBuilder* out, const char* title,
                         const ValueRecord& record) {
  out->append("\n  ").append(title).append(": ");
  append_summary(out, record.values);
  if (record.values.summary().count == 0) return;
  append_extreme_times(out, record.values);
  append_top(out, record.values);
  if (record.kinds != nullptr) append_pointer_kinds(out, *record.kinds);
  if (record.strings != nullptr) append_strings(out, *record.strings);
  append_log2_histogram(out, record.values);
  if (record.values.linear() != nullptr)
    append_linear_histogram(out, *record.values.linear(), record.values.summary().count);
}

void append_calls_line(StringBuilder* out, const FunctionRecord& f) {
  out->append("  calls ");
  append_grouped(out, f.calls);
  out->append(", returns ");
  append_grouped(out, f.returns);
  out->append(", unwound ");
  append_grouped(out, f.unwound);
  out->append(", unreturned ");
  append_grouped(out, f.unreturned);
  out->append(", tail calls ");
  append_grouped(out, f.tail_calls);
  out->append('\n');
}

constexpr size_t kSitesShown = 5;

// "caller (file:line)" of the call that returns to `return_address`.
void append_call_site(StringBuilder* out, Addr return_address) {
  DiEpoch epoch = VG_(current_DiEpoch)();
  const HChar* caller = nullptr;
  if (VG_(get_fnname)(epoch, return_address - 1, &caller)) out->append(caller);
  else out->append("0x").append_hex(return_address - 1);
  const HChar *file = nullptr, *dir = nullptr;
  UInt line = 0;
  if (VG_(get_filename_linenum)(epoch, return_address - 1, &file, &dir, &line))
    out->append(" (").append(file).append(':').append_unsigned(line).append(')');
}

void append_sites(StringBuilder* out, const FunctionRecord& f) {
  Vector<const SiteRecord*> sites;
  sorted_sites(f, &sites);
  if (sites.empty()) return;
  out->append("  call sites: ");
  append_grouped(out, sites.size());
  out->append(sites.size() > kSitesShown ? ", the busiest:\n" : "\n");
  for (size_t i = 0; i < sites.size() && i < kSitesShown; ++i) {
    out->append("    ");
    append_call_site(out, sites[i]->return_address);
    out->append(" x");
    append_grouped(out, sites[i]->calls);
    out->append('\n');
  }
}

void append_function(StringBuilder* out, const FunctionRecord& f) {
  out->append("\n").append(f.name);
  if (f.implementation != nullptr) out->append(" (ifunc: ").append(f.implementation).append(')');
  out->append(" in ").append(base_name(f.object));
  if (f.file != nullptr) out->append(" (").append(f.file).append(':').append_unsigned(f.line).append(')');
  out->append('\n');
  if (f.shares_with != nullptr)
    out->append("  resolves to the implementation of ").append(f.shares_with->name)
        .append(", whose calls are counted there\n");
  append_calls_line(out, f);
  append_sites(out, f);
  const Signature& s = f.signature;
  for (size_t i = 0; i < s.params.size(); ++i) {
    StringBuilder title;
    title.append("arg").append_unsigned(i);
    if (s.origin == SignatureOrigin::kDwarf || s.origin == SignatureOrigin::kBuiltin)
      title.append(' ').append(s.params[i].name);
    title.append(" (").append(s.params[i].type.name).append(')');
    if (!is_aggregated(s.params[i].type.kind)) {
      out->append("\n  ").append(title.c_str()).append(": not a scalar, not aggregated\n");
      continue;
    }
    append_value_report(out, title.c_str(), f.args[i]);
  }
  if (is_aggregated(s.result.kind)) {
    StringBuilder title;
    title.append("ret (").append(s.result.name).append(')');
    append_value_report(out, title.c_str(), f.result);
  }
  out->append("\n  duration (instructions): ");
  append_summary(out, f.duration);
  if (f.duration.summary().count > 0) append_log2_histogram(out, f.duration);
}

}  // namespace

void print_text_report(TextSink sink, const char* glob) {
  Vector<const FunctionRecord*> functions;
  sorted_functions(&functions);
  uint64_t shown = 0, silent = 0;
  for (const FunctionRecord* f : functions) {
    if (glob != nullptr && !VG_(string_match)(glob, f->name)) continue;
    if (f->calls == 0) {
      ++silent;
      continue;
    }
    StringBuilder text;
    append_function(&text, *f);
    sink(text.c_str());
    ++shown;
  }
  StringBuilder tail;
  if (glob != nullptr && shown == 0 && silent == 0) {
    tail.append("argdist: no traced function matches ").append(glob).append(".\n");
    sink(tail.c_str());
    return;
  }
  tail.append("\nargdist: ");
  append_grouped(&tail, shown);
  tail.append(shown == 1 ? " function called" : " functions called");
  if (silent > 0) {
    tail.append(", ");
    append_grouped(&tail, silent);
    tail.append(" traced but never called");
  }
  tail.append(".\n");
  sink(tail.c_str());
}

}  // namespace unstuck::argdist
