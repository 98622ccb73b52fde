#include "shared/recorder/child_tid_log.h"

#include "shared/recorder/memory_log.h"
#include "shared/recorder/trace_output.h"
#include "shared/rt/vector.h"
#include "shared/vg/core_events.h"

namespace unstuck::recorder {
namespace {

Vector<Addr>* g_clear_tid = nullptr;  // per ThreadId, 0 when none
Addr g_pending_clone_tid = 0;         // from clone's arguments, until created

Addr& clear_tid_of(ThreadId tid) {
  if (g_clear_tid->size() <= tid) g_clear_tid->resize(tid + 1);
  return (*g_clear_tid)[tid];
}

void on_pre_syscall(ThreadId tid, UInt number, UWord* args, UInt) {
  if (number == __NR_set_tid_address) {
    clear_tid_of(tid) = args[0];
  } else if (number == __NR_clone) {
    // clone(flags, stack, parent_tid, child_tid, tls) on amd64.
    g_pending_clone_tid = (args[0] & VKI_CLONE_CHILD_CLEARTID) ? args[3] : 0;
  }
}

void on_created(ThreadId, ThreadId child) {
  clear_tid_of(child) = g_pending_clone_tid;
  g_pending_clone_tid = 0;
}

void on_exit(ThreadId tid) {
  Addr word = clear_tid_of(tid);
  clear_tid_of(tid) = 0;
  if (word == 0 || !is_recording() ||
      !VG_(am_is_valid_for_client)(word, sizeof(Int), VKI_PROT_WRITE))
    return;
  *reinterpret_cast<volatile Int*>(word) = 0;
  log_memory_written(word, sizeof(Int));
}

}  // namespace

void install_child_tid_log() {
  g_clear_tid = new Vector<Addr>();
  core_events::on_pre_syscall(on_pre_syscall);
  core_events::on_thread_created(on_created);
  core_events::on_thread_exit(on_exit);
}

}  // namespace unstuck::recorder
