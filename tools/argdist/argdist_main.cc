// --tool=argdist: the distributions of the arguments, results and call
// durations of chosen functions over a whole run, in the style of DTrace's
// quantize() and bpftrace's hist(), with names and types from DWARF and
// the time (instructions retired) of every extreme value.  See
// docs/argdist.md.
//
// How the pieces fit: options.h says what to trace; function_selection.h
// turns it into FunctionRecords as objects' code is first translated
// (signatures from dwarf_signatures.h); entry_exit_pass.h instruments
// entries and returns; call_tracker.h matches returns to calls and feeds
// the aggregates (aggregate.h, pointer_kinds.h, top_strings.h); at exit
// report_text.h prints histograms and report_json.h writes the file.
#include "shared/recorder/recorder.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/core_events.h"
#include "shared/vg/valgrind_api.h"
#include "tools/argdist/call_tracker.h"
#include "tools/argdist/entry_exit_pass.h"
#include "tools/argdist/function_selection.h"
#include "tools/argdist/heap_blocks.h"
#include "tools/argdist/monitor_command.h"
#include "tools/argdist/options.h"
#include "tools/argdist/pointer_kinds.h"
#include "tools/argdist/report_json.h"
#include "tools/argdist/report_text.h"
#include "tools/argdist/value_stream.h"

namespace {

using namespace unstuck::argdist;

Bool process_option(const HChar* arg) {
  if (unstuck::recorder::process_option(arg)) return True;
  return parse_option(arg) ? True : False;
}

void print_usage() {
  print_option_usage();
  unstuck::recorder::print_usage();
}

void print_debug_usage() { VG_(printf)("    (none)\n"); }

void post_clo_init() {
  check_options();
  if (options().heap_blocks) install_heap_blocks();
  unstuck::timeline::check_translation_settings();
  unstuck::recorder::start("argdist", /*on_by_default=*/false);
  if (start_value_stream(options().aggregation_thread) && VG_(clo_verbosity) > 1)
    VG_(umsg)("argdist: aggregating on a thread of its own\n");
}

IRSB* instrument(VgCallbackClosure* closure, IRSB* sb, const VexGuestLayout*,
                 const VexGuestExtents*, const VexArchInfo*, IRType, IRType) {
  sb = add_entry_exit_pass(sb, closure);
  sb = unstuck::recorder::instrument(sb, closure);
  return unstuck::timeline::add_clock_pass(sb, closure);
}

void to_stderr(const char* text) { VG_(umsg)("%s", text); }

// The program replaces itself: the calls so far are all there will be
// (calls still running are not counted as unreturned: the exec may fail).
void on_exec(ThreadId, const HChar* path) {
  if (VG_(clo_verbosity) > 0)
    VG_(umsg)("argdist: the program calls execve(\"%s\"); the results so far:\n", path);
  write_json_report();
}

void fini(Int /*exit_code*/) {
  finish_call_tracker();
  if (options().text_report) print_text_report(to_stderr, nullptr);
  write_json_report();
  if (VG_(clo_verbosity) > 1) print_value_stream_stats();
  unstuck::recorder::finish();
}

void pre_clo_init() {
  VG_(details_name)("argdist");
  VG_(details_version)(nullptr);
  VG_(details_description)("the distributions of call arguments and results");
  VG_(details_copyright_author)("Copyright (C) the unstuck authors.");
  VG_(details_bug_reports_to)("https://github.com/unstuck-debugger/unstuck/issues");
  VG_(details_avg_translation_sizeB)(300);

  VG_(basic_tool_funcs)(post_clo_init, instrument, fini);
  VG_(needs_command_line_options)(process_option, print_usage,
                                  print_debug_usage);
  install_monitor_command();
  unstuck::timeline::install();
  unstuck::recorder::install();
  install_options();
  install_selection();
  install_call_tracker();
  install_pointer_kinds();
  unstuck::core_events::on_exec(on_exec);
}

}  // namespace

extern "C" {
VG_DETERMINE_INTERFACE_VERSION(pre_clo_init)
}
