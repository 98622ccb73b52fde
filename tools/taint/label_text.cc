#include "tools/taint/label_text.h"

#include "tools/taint/shadow_state.h"
#include "tools/taint/sources.h"

namespace unstuck::taint {
namespace {

// The named parts a range overlaps: "argv[1]", "HOME".
void append_parts(const shadow::LabelRange& r, StringBuilder& out) {
  size_t parts = part_count(r.source);
  bool first = true;
  for (size_t i = 0; i < parts; ++i) {
    const SourcePart& p = part(r.source, i);
    if (p.end < r.start || p.start >= r.end) continue;
    out.append(first ? " (" : ", ").append(p.name);
    first = false;
  }
  if (!first) out.append(')');
}

bool single_byte(const shadow::LabelRangeList& list) {
  return list.count == 1 && list.ranges[0].end - list.ranges[0].start == 1;
}

bool alike(LabelSetId previous, LabelSetId next) {
  if (previous == next) return true;
  // Consecutive bytes of one source (encoded ids, or interned ones while
  // labels are narrow: see label_sets.h).
  shadow::LabelRangeList before, after;
  label_sets().ranges_of(previous, before);
  label_sets().ranges_of(next, after);
  return single_byte(before) && single_byte(after) &&
         after.ranges[0].source == before.ranges[0].source &&
         after.ranges[0].start == before.ranges[0].end;
}

}  // namespace

void append_labels(LabelSetId labels, StringBuilder& out) {
  shadow::LabelSets& sets = label_sets();
  if (labels == kEmptyLabelSet) {
    out.append("untainted");
    return;
  }
  shadow::LabelRangeList list;
  sets.ranges_of(labels, list);
  for (size_t i = 0; i < list.count; ++i) {
    const shadow::LabelRange& r = list.ranges[i];
    if (i == 0 || r.source != list.ranges[i - 1].source) {
      if (i > 0) out.append("; ");
      out.append(sets.source_name(r.source)).append(": ");
    } else {
      out.append(", ");
    }
    out.append('[').append_unsigned(r.start).append(", ").append_unsigned(r.end).append(')');
    append_parts(r, out);
  }
}

void append_ranges(LabelSetId labels, SourceId source, StringBuilder& out) {
  bool first = true;
  label_sets().for_each_range(labels, [&](const shadow::LabelRange& r) {
    if (r.source != source) return;
    out.append(first ? "[" : ", [").append_unsigned(r.start).append(", ");
    out.append_unsigned(r.end).append(')');
    first = false;
  });
  if (first) out.append("nothing read");
}

void describe_memory(Addr a, SizeT n, void (*print)(const char* line)) {
  const LabelMap& map = memory_labels();
  LabelUnion all;
  SizeT i = 0;
  while (i < n) {
    SizeT start = i;
    LabelUnion run;
    LabelSetId previous = map.get(a + i);
    run.add(previous);
    for (++i; i < n; ++i) {
      LabelSetId next = map.get(a + i);
      if (!alike(previous, next)) break;
      run.add(next);
      previous = next;
    }
    LabelSetId labels = run.finish();
    all.add(labels);
    StringBuilder line;
    line.append("0x").append_hex(a + start).append("-0x").append_hex(a + i);
    line.append(" (").append_unsigned(i - start).append(i - start == 1 ? " byte): " : " bytes): ");
    append_labels(labels, line);
    line.append('\n');
    print(line.c_str());
  }
  StringBuilder total;
  total.append("all ").append_unsigned(n).append(" bytes: ");
  append_labels(all.finish(), total);
  total.append('\n');
  print(total.c_str());
}

}  // namespace unstuck::taint
