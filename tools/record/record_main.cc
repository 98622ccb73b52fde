// --tool=record: runs a program under Valgrind and records it so that
// `unstuck replay` and `unstuck verify` can re-execute it exactly (see
// shared/recorder/recorder.h), or with --count-only=yes just counts its
// guest instructions (see shared/timeline/instruction_clock.h).
//
// Options are documented in one place: print_usage() below, mirrored in
// docs/record.md.
#include "shared/recorder/recorder.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/valgrind_api.h"

namespace {

struct Options {
  Bool count_only;
};

Options g_options = {/*count_only=*/False};

Bool process_option(const HChar* arg) {
  if (unstuck::recorder::process_option(arg)) {
  } else if VG_BOOL_CLO (arg, "--count-only", g_options.count_only) {
  } else {
    return False;
  }
  return True;
}

void print_usage() {
  VG_(printf)(
      "    --count-only=no|yes       count guest instructions without\n"
      "                              recording the run [no]\n");
  unstuck::recorder::print_usage();
}

void print_debug_usage() { VG_(printf)("    (none)\n"); }

void post_clo_init() {
  unstuck::timeline::check_translation_settings();
  unstuck::recorder::start("record", /*on_by_default=*/!g_options.count_only);
}

IRSB* instrument(VgCallbackClosure* closure, IRSB* sb, const VexGuestLayout*,
                 const VexGuestExtents*, const VexArchInfo*, IRType, IRType) {
  sb = unstuck::recorder::instrument(sb, closure);
  return unstuck::timeline::add_clock_pass(sb, closure);
}

void print_thread_counts() {
  using namespace unstuck::timeline;
  ThreadNumber last = threads_created();
  if (last <= 1) return;
  for (ThreadNumber n = 1; n <= last; ++n)
    VG_(umsg)("  thread %u: %'llu\n", n, (ULong)thread_instructions(n));
}

// The count is the output of --count-only=yes; when recording, it is
// information, silenced by -q like the rest.
void fini(Int /*exit_code*/) {
  if (g_options.count_only || VG_(clo_verbosity) > 0) {
    VG_(umsg)("Guest instructions: %'llu\n", (ULong)unstuck::timeline::now());
    print_thread_counts();
  }
  unstuck::recorder::finish();
}

void pre_clo_init() {
  VG_(details_name)("record");
  VG_(details_version)(nullptr);
  VG_(details_description)("the unstuck recorder");
  VG_(details_copyright_author)("Copyright (C) the unstuck authors.");
  VG_(details_bug_reports_to)("https://github.com/unstuck-debugger/unstuck/issues");
  VG_(details_avg_translation_sizeB)(275);

  VG_(basic_tool_funcs)(post_clo_init, instrument, fini);
  VG_(needs_command_line_options)(process_option, print_usage,
                                  print_debug_usage);
  unstuck::timeline::install();
  unstuck::recorder::install();
}

}  // namespace

extern "C" {
VG_DETERMINE_INTERFACE_VERSION(pre_clo_init)
}
