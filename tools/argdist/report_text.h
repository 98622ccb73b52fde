// The report people read: per traced function, how its calls ended, then
// per argument, result and duration a summary line and a DTrace-style
// histogram (quantize's format: a right-aligned bucket value, a 40-column
// bar of '@' scaled to the bucket's share, the count).  Printed on stderr
// at exit and by `monitor argdist [FN]`.
#pragma once

namespace unstuck::argdist {

using TextSink = void (*)(const char* text);

// Reports every traced function whose name matches the glob (null: all),
// sorted by name.
void print_text_report(TextSink sink, const char* glob);

}  // namespace unstuck::argdist
