// The recorder: records a run so that it can be replayed exactly outside
// Valgrind (see docs/record.md and docs/trace-format.md).  Every tool links
// it; `--record=yes` turns it on, and the record tool turns it on itself.
//
// A tool calls, in order:
//   pre_clo_init:   timeline::install(); recorder::install();
//   options:        recorder::process_option(arg) before its own options
//   post_clo_init:  recorder::start(tool name, default on or off)
//   instrument:     its own passes, then recorder::instrument(), then the
//                   clock pass last
//   fini:           recorder::finish()
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::recorder {

void install();

// --record=no|yes, --trace-dir=DIR, --record-check-every=N.
bool process_option(const HChar* arg);
void print_usage();

// Opens the trace when recording is on (`on_by_default` unless the
// command line said otherwise).
void start(const char* tool_name, bool on_by_default);
bool is_on();
// The folder of the trace being written (for tools to name in their
// results, so that `unstuck replay FOLDER --goto TIME` finds it), or null
// when not recording.
const char* trace_path();

IRSB* instrument(IRSB* sb, const VgCallbackClosure* closure);

// For tools that write into the client's memory themselves.
void note_memory_written(Addr a, SizeT len);

// Logs the exit and closes the trace, with a one-line summary.
void finish();

}  // namespace unstuck::recorder
