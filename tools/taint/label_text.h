// Label sets as text for people: the stderr summary, monitor commands
// and UNSTUCK_TAINT_QUERY.  "input.bin: [16, 20), [24, 30); stdin: [0, 4)",
// with named parts of argv and env added ("argv: [10, 14) (argv[1])").
#pragma once

#include "shared/rt/string_builder.h"
#include "shared/vg/valgrind_api.h"
#include "tools/taint/labels.h"

namespace unstuck::taint {

void append_labels(LabelSetId labels, StringBuilder& out);
// Only the ranges of `source`, without its name: "[0, 16), [32, 40)".
void append_ranges(LabelSetId labels, SourceId source, StringBuilder& out);

// One line per run of bytes of [a, a + n) with like labels (consecutive
// input bytes count as alike), then their union, through `print`.
void describe_memory(Addr a, SizeT n, void (*print)(const char* line));

}  // namespace unstuck::taint
