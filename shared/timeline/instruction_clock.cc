#include "shared/timeline/instruction_clock.h"

#include "shared/rt/arena.h"
#include "shared/rt/check.h"
#include "shared/rt/vector.h"
#include "shared/timeline/clock_pass.h"
#include "shared/vg/core_events.h"
#include "shared/vg/guest_state.h"

namespace unstuck::timeline {
namespace {

// The variables the generated code updates: constant-initialised (no
// constructors ever run inside Valgrind).
ClockState g_clock = {0, nullptr, nullptr};
Arena* g_shapes = nullptr;  // never freed: translations may live to the end

// The running thread's guest state, where the generated code counts (see
// clock_pass.h), or null between runs.
VexGuestAMD64State* g_running_guest = nullptr;

// Per-thread accounting, done in C++ at the edges of client-code runs,
// indexed by thread number.
ThreadId g_running_thread = VG_INVALID_THREADID;
ULong g_run_started_at = 0;
Vector<ULong>* g_thread_totals = nullptr;

void on_start_client_code(ThreadId tid, ULong /*blocks_done*/) {
  g_running_thread = tid;
  g_run_started_at = g_clock.time;
  g_running_guest = guest_state_of(tid);
  begin_run(g_running_guest);
}

// A fault with a handler: the core builds the signal frame (moving the
// program counter to the handler) before the thread stops running client
// code, so the fault must be settled here, while the program counter still
// names the faulting instruction.
void on_pre_deliver_signal(ThreadId tid, Int /*signal*/, Bool /*alt_stack*/) {
  if (tid != g_running_thread) return;  // delivered between runs
  settle_interrupted_superblock(&g_clock, g_running_guest, VG_(get_IP)(tid));
}

// A fault without a handler ends the process with the program counter at
// the faulting instruction; it is settled here.
void on_stop_client_code(ThreadId tid, ULong /*blocks_done*/) {
  UNSTUCK_CHECK(tid == g_running_thread);
  end_run(&g_clock, g_running_guest, VG_(get_IP)(tid));
  ThreadNumber number = thread_number(tid);
  if (g_thread_totals->size() <= number) g_thread_totals->resize(number + 1);
  (*g_thread_totals)[number] += g_clock.time - g_run_started_at;
  g_running_thread = VG_INVALID_THREADID;
  g_running_guest = nullptr;
}

// Chasing lets VEX join both arms of an "a && b" test into one superblock,
// guarding the statements of the arm it speculated on but not its IMarks:
// the IMarks of instructions that never ran would be counted.  Unrolling
// is turned off with it, as callgrind does, so that every superblock is the
// straight-line code the replayer lifts too.
void force_translation_settings() {
  VG_(clo_vex_control).guest_chase = False;
  VG_(clo_vex_control).iropt_unroll_thresh = 0;
}

}  // namespace

void install() {
  force_translation_settings();
  install_thread_numbers();
  g_thread_totals = new Vector<ULong>();
  g_shapes = new Arena();
  g_clock.shapes = new ShapeTable();
  core_events::on_start_client_code(on_start_client_code);
  core_events::on_stop_client_code(on_stop_client_code);
  core_events::on_pre_deliver_signal(on_pre_deliver_signal);
}

void check_translation_settings() {
  if (VG_(clo_vex_control).guest_chase ||
      VG_(clo_vex_control).iropt_unroll_thresh != 0) {
    VG_(umsg)("unstuck counts instructions only with --vex-guest-chase=no "
              "and --vex-iropt-unroll-thresh=0: resetting them.\n");
    force_translation_settings();
  }
}

IRSB* add_clock_pass(IRSB* sb, const VgCallbackClosure* closure) {
  return add_clock_pass(sb, closure->nraddr, &g_clock, g_shapes);
}

uint64_t now() {
  return g_running_guest == nullptr ? g_clock.time : time_in_run(g_clock, *g_running_guest);
}

IRExpr* now_expr(IRSB* sb) { return time_in_run_expr(sb, &g_clock); }

uint64_t time_of_instruction(uint64_t instructions_left_in_superblock) {
  const uint64_t time = now();
  UNSTUCK_CHECK(instructions_left_in_superblock <= time);
  return time - instructions_left_in_superblock;
}

uint64_t thread_instructions(ThreadNumber number) {
  ULong total =
      number < g_thread_totals->size() ? (*g_thread_totals)[number] : 0;
  if (g_running_thread != VG_INVALID_THREADID &&
      thread_number(g_running_thread) == number)
    total += now() - g_run_started_at;
  return total;
}

}  // namespace unstuck::timeline
