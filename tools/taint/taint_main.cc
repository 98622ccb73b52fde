// --tool=taint: which input bytes reach which decisions.
//
// Bytes read from the sources the command line names (files, stdin,
// sockets, argv, env, client requests) get labels (source, offset); the
// propagation pass carries labels through every IR operation, register
// and memory; the sinks (conditional branches, indirect jumps and calls,
// syscall arguments, named functions' arguments, pointers, assertions)
// record findings with their exact time, written to taint.out.<pid> and
// summarised on stderr.  --record=yes records the run, so that
// `unstuck replay --goto TIME` visits any finding.  docs/taint.md has it
// all; the options are in options.cc.
#include "shared/recorder/recorder.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/core_events.h"
#include "shared/vg/valgrind_api.h"
#include "tools/taint/client_requests.h"
#include "tools/taint/findings.h"
#include "tools/taint/json_output.h"
#include "tools/taint/labels.h"
#include "tools/taint/options.h"
#include "tools/taint/propagation_pass.h"
#include "tools/taint/shadow_state.h"
#include "tools/taint/sinks.h"
#include "tools/taint/startup_sources.h"
#include "tools/taint/summary.h"
#include "tools/taint/syscall_sinks.h"
#include "tools/taint/syscall_sources.h"

namespace {

using namespace unstuck;

void post_clo_init() {
  timeline::check_translation_settings();
  taint::install_labels(taint::options().label_budget);
  taint::start_shadow_state();
  taint::start_syscall_sources();
  recorder::start("taint", /*on_by_default=*/false);
}

IRSB* instrument(VgCallbackClosure* closure, IRSB* sb, const VexGuestLayout*,
                 const VexGuestExtents*, const VexArchInfo*, IRType, IRType) {
  taint::widen_labels_if_requested();  // before the pass reads the map's width
  if (taint::labels_in_play()) sb = taint::add_propagation_pass(sb);
  sb = recorder::instrument(sb, closure);
  return timeline::add_clock_pass(sb, closure);
}

// Counts the occurrences sites still hold and writes the JSON; the path
// written, or null.
const char* write_results() {
  taint::flush_sink_sites();
  return taint::write_json_output();
}

// The program replaces itself: what it found so far is all there will be.
void on_exec(ThreadId, const HChar* path) {
  const char* written = write_results();
  if (written != nullptr && VG_(clo_verbosity) > 0)
    VG_(umsg)("taint: the program calls execve(\"%s\"): its findings so far are in %s\n",
              path, written);
}

void fini(Int /*exit_code*/) {
  const char* path = write_results();
  taint::print_summary(path);
  recorder::finish();
}

Bool process_option(const HChar* arg) { return taint::process_option(arg) ? True : False; }

void pre_clo_init() {
  VG_(details_name)("taint");
  VG_(details_version)(nullptr);
  VG_(details_description)("the unstuck taint tracker");
  VG_(details_copyright_author)("Copyright (C) the unstuck authors.");
  VG_(details_bug_reports_to)("https://github.com/unstuck-debugger/unstuck/issues");
  VG_(details_avg_translation_sizeB)(640);

  VG_(basic_tool_funcs)(post_clo_init, instrument, fini);
  VG_(needs_command_line_options)(process_option, taint::print_usage,
                                  taint::print_debug_usage);
  VG_(needs_client_requests)(taint::handle_client_request);
  timeline::install();
  recorder::install();
  taint::install_shadow_state();
  taint::install_findings();
  taint::install_syscall_sources();
  taint::install_syscall_sinks();
  taint::install_startup_sources();
  core_events::on_exec(on_exec);
}

}  // namespace

extern "C" {
VG_DETERMINE_INTERFACE_VERSION(pre_clo_init)
}
