#include "shared/recorder/register_log.h"

#include "shared/recorder/trace_output.h"
#include "shared/rt/vector.h"
#include "shared/timeline/clock_pass.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/trace/event_records.h"
#include "shared/vg/core_events.h"

namespace unstuck::recorder {
namespace {

using timeline::ThreadNumber;

constexpr uint32_t kWords = sizeof(VexGuestAMD64State) / sizeof(uint64_t);
static_assert(sizeof(VexGuestAMD64State) % sizeof(uint64_t) == 0);

// Per thread number: the guest state when it last stopped (zeros before it
// first ran), as the replayer will have it; and as of its last digest.
Vector<uint64_t*>* g_saved = nullptr;
Vector<uint64_t*>* g_digested = nullptr;
uint64_t* g_scratch = nullptr;
ThreadNumber g_running = 0;  // the thread the trace last switched to
// A signal delivered while a thread runs client code is a fault: Valgrind
// left the translation mid-way, with only %rip, %rsp and %rbp up to date,
// and built the signal frame before the thread stopped.  The state saved
// at that stop is neither the replay's nor exact, so the next start logs
// every register, and that stop writes no digest.
ThreadId g_in_client_code = VG_INVALID_THREADID;
bool g_faulted = false;
Vector<bool>* g_log_all = nullptr;  // per thread number

bool& log_all(ThreadNumber number) {
  if (g_log_all->size() <= number) g_log_all->resize(number + 1);
  return (*g_log_all)[number];
}
uint64_t g_check_every = 0;
uint64_t g_last_digest_time = 0;

uint64_t* state_in(Vector<uint64_t*>* states, ThreadNumber number) {
  if (states->size() <= number) states->resize(number + 1);
  uint64_t*& state = (*states)[number];
  if (state == nullptr) {
    state = static_cast<uint64_t*>(platform::allocate(sizeof(VexGuestAMD64State)));
    platform::fill_bytes(state, 0, sizeof(VexGuestAMD64State));
  }
  return state;
}

uint64_t* saved_state(ThreadNumber number) { return state_in(g_saved, number); }

void forget(Vector<uint64_t*>* states, ThreadNumber number) {
  if (number >= states->size()) return;
  platform::release((*states)[number]);
  (*states)[number] = nullptr;
}

// (The clock's words are the host's, not the program's: not recorded.)
void read_guest_state(ThreadId tid, uint64_t* into) {
  VG_(get_shadow_regs_area)(tid, reinterpret_cast<UChar*>(into), 0, 0,
                            sizeof(VexGuestAMD64State));
  timeline::clear_clock_words(reinterpret_cast<VexGuestAMD64State*>(into));
}

void write_digest(ThreadNumber number) {
  uint64_t* digested = state_in(g_digested, number);
  const uint64_t* now = saved_state(number);
  trace::RegistersRecord::write_delta(events(), trace::EventKind::Digest,
                                      timeline::now(), number, digested, now,
                                      kWords);
  event_written();
  platform::copy_bytes(digested, now, sizeof(VexGuestAMD64State));
  g_last_digest_time = timeline::now();
}

void on_start(ThreadId tid, ULong) {
  if (!is_recording()) return;
  ThreadNumber number = timeline::thread_number(tid);
  uint64_t now = timeline::now();
  if (number != g_running) {
    trace::ThreadRecord{number, 0}.write(events(), trace::EventKind::Switch, now);
    event_written();
    g_running = number;
  }
  read_guest_state(tid, g_scratch);
  if (trace::RegistersRecord::write_delta(events(), trace::EventKind::Registers,
                                          now, number, saved_state(number),
                                          g_scratch, kWords, log_all(number)))
    event_written();
  log_all(number) = false;
  g_in_client_code = tid;
}

void on_signal(ThreadId tid, Int, Bool) {
  if (tid == g_in_client_code) g_faulted = true;
}

void on_stop(ThreadId tid, ULong) {
  if (!is_recording()) return;
  ThreadNumber number = timeline::thread_number(tid);
  read_guest_state(tid, saved_state(number));
  g_in_client_code = VG_INVALID_THREADID;
  if (g_faulted) {
    g_faulted = false;
    log_all(number) = true;
    return;
  }
  if (timeline::now() - g_last_digest_time >= g_check_every) write_digest(number);
}

void on_created(ThreadId parent, ThreadId child) {
  if (!is_recording()) return;
  ThreadNumber parent_number =
      parent == VG_INVALID_THREADID ? 0 : timeline::thread_number(parent);
  trace::ThreadRecord{timeline::thread_number(child), parent_number}
      .write(events(), trace::EventKind::ThreadStart, timeline::now());
  event_written();
}

void on_exit(ThreadId tid) {
  if (!is_recording()) return;
  ThreadNumber number = timeline::thread_number(tid);
  trace::ThreadRecord{number, 0}.write(events(), trace::EventKind::ThreadExit,
                                       timeline::now());
  event_written();
  // The slot may be reused by a new thread, with a new number; this
  // thread's states are no longer needed.
  forget(g_saved, number);
  forget(g_digested, number);
}

}  // namespace

void set_register_check_interval(uint64_t instructions) {
  g_check_every = instructions;
}

void install_register_log() {
  g_saved = new Vector<uint64_t*>();
  g_digested = new Vector<uint64_t*>();
  g_log_all = new Vector<bool>();
  g_scratch = static_cast<uint64_t*>(platform::allocate(sizeof(VexGuestAMD64State)));
  core_events::on_start_client_code(on_start);
  core_events::on_stop_client_code(on_stop);
  core_events::on_pre_deliver_signal(on_signal);
  core_events::on_thread_created(on_created);
  core_events::on_thread_exit(on_exit);
}

void log_register_digest(ThreadId tid) {
  ThreadNumber number = timeline::thread_number(tid);
  // After a fault the saved registers are not the replay's (see g_faulted).
  if (is_recording() && !log_all(number)) write_digest(number);
}

void forget_register_states() {
  for (ThreadNumber n = 0; n < g_saved->size(); ++n) forget(g_saved, n);
  for (ThreadNumber n = 0; n < g_digested->size(); ++n) forget(g_digested, n);
  g_running = 0;
  g_last_digest_time = timeline::now();
}

}  // namespace unstuck::recorder
