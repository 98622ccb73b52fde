// --tool=lifetime: the life of every heap object (docs/lifetime.md).
//
// The program's own allocator runs as guest code; the preload beside the
// tool wraps its functions and reports each block (heap_events.h).  Every
// block becomes a shadow object (object_table.h), found from any address in
// O(1) through the shadow map; every load and store that touches one is
// recorded with its exact time (access_instrumentation.h).  Sites
// aggregate the objects with DHAT's metrics and ours (sites.h); the end of
// the run writes lifetime.out.<pid> (json_output.h) and a summary.
#include "shared/recorder/recorder.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/core_events.h"
#include "shared/vg/valgrind_api.h"
#include "tools/lifetime/access_instrumentation.h"
#include "tools/lifetime/access_recording.h"
#include "tools/lifetime/client_requests.h"
#include "tools/lifetime/functions.h"
#include "tools/lifetime/heap_events.h"
#include "tools/lifetime/json_output.h"
#include "tools/lifetime/misuse.h"
#include "tools/lifetime/monitor_commands.h"
#include "tools/lifetime/object_table.h"
#include "tools/lifetime/options.h"
#include "tools/lifetime/running_thread.h"
#include "tools/lifetime/sites.h"
#include "tools/lifetime/summary.h"


namespace {

using namespace unstuck;
using namespace unstuck::lifetime;

ObjectTable* g_objects = nullptr;
SiteTable* g_sites = nullptr;

Bool process_option(const HChar* arg) { return lifetime::process_option(arg); }

void post_clo_init() {
  timeline::check_translation_settings();
  recorder::start("lifetime", /*on_by_default=*/false);
  g_sites = new SiteTable();
  g_objects = new ObjectTable(retire_function(), g_options.freed_window);
  install_running_thread();
  install_heap_events(g_objects, g_sites);
  install_access_recording(g_objects);
  install_misuse(g_sites);
  install_monitor_commands(g_objects);
}

IRSB* instrument(VgCallbackClosure* closure, IRSB* sb, const VexGuestLayout*,
                 const VexGuestExtents*, const VexArchInfo*, IRType, IRType) {
  sb = instrument_accesses(sb, g_objects->map());
  sb = recorder::instrument(sb, closure);
  return timeline::add_clock_pass(sb, closure);
}

// ---- Memory the core reads and writes for the program (DHAT counts
// system calls' buffers as reads and writes too) ----

void on_pre_mem_read(CorePart part, ThreadId, const HChar*, Addr a, SizeT size) {
  if (part == Vg_CoreSysCall) record_core_access(a, size, false);
}

void on_pre_mem_read_asciiz(CorePart part, ThreadId, const HChar*, Addr a) {
  if (part == Vg_CoreSysCall)
    record_core_access(a, VG_(strlen)(reinterpret_cast<const HChar*>(a)) + 1, false);
}

void on_post_mem_write(CorePart part, ThreadId, Addr a, SizeT size) {
  if (part == Vg_CoreSysCall || part == Vg_CoreClientReq) record_core_access(a, size, true);
}

void on_new_mmap(Addr a, SizeT len, Bool, Bool, Bool, ULong) { forget_memory(a, len); }
void on_munmap(Addr a, SizeT len) { forget_memory(a, len); }
void on_brk_shrink(Addr a, SizeT len) { forget_memory(a, len); }

void subscribe_to_memory_events() {
  core_events::on_pre_mem_read(on_pre_mem_read);
  core_events::on_pre_mem_read_asciiz(on_pre_mem_read_asciiz);
  core_events::on_post_mem_write(on_post_mem_write);
  core_events::on_new_mem_mmap(on_new_mmap);
  core_events::on_die_mem_munmap(on_munmap);
  core_events::on_die_mem_brk(on_brk_shrink);
}

// Ends every object's life and writes the profile and the summary.
void write_profile() {
  finish_heap();
  HChar* path = VG_(expand_file_name)("--lifetime-out-file", g_options.out_file);
  const bool written = write_json_output(path, *g_sites);
  print_summary(*g_sites, written ? path : nullptr);
  VG_(free)(path);
}

// The program replaces itself: its heap's life ends here, as at an exit.
void on_exec(ThreadId, const HChar* path) {
  if (heap_finished()) return;
  if (VG_(clo_verbosity) > 0)
    VG_(umsg)("lifetime: the program calls execve(\"%s\"): its heap's profile so far:\n", path);
  write_profile();
}

void fini(Int /*exit_code*/) {
  if (heap_finished()) {
    // Written at an exec that failed: what followed is not in the profile.
    if (VG_(clo_verbosity) > 0)
      VG_(umsg)("lifetime: the profile was written at an execve that failed; "
                "the heap's events after it are not in it\n");
  } else {
    write_profile();
  }
  recorder::finish();
}

void pre_clo_init() {
  VG_(details_name)("lifetime");
  VG_(details_version)(nullptr);
  VG_(details_description)("the life of every heap object");
  VG_(details_copyright_author)("Copyright (C) the unstuck authors.");
  VG_(details_bug_reports_to)("https://github.com/unstuck-debugger/unstuck/issues");
  VG_(details_avg_translation_sizeB)(640);

  VG_(basic_tool_funcs)(post_clo_init, instrument, fini);
  VG_(needs_command_line_options)(process_option, print_usage, print_debug_usage);
  VG_(needs_client_requests)(handle_client_request);
  // As DHAT: glibc's and libstdc++'s own buffers are freed at exit, so that
  // what is live at the end is the program's.
  VG_(needs_libc_freeres)();
  VG_(needs_cxx_freeres)();

  timeline::install();
  recorder::install();
  install_functions();
  subscribe_to_memory_events();
  core_events::on_exec(on_exec);
}

}  // namespace

extern "C" {
VG_DETERMINE_INTERFACE_VERSION(pre_clo_init)
}
