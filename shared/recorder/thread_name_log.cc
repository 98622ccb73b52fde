#include "shared/recorder/thread_name_log.h"

#include "shared/recorder/trace_output.h"
#include "shared/rt/hash_map.h"
#include "shared/rt/vector.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/timeline/thread_numbers.h"
#include "shared/trace/event_records.h"
#include "shared/vg/core_events.h"

namespace unstuck::recorder {
namespace {

// The kernel's limit: TASK_COMM_LEN is 16 bytes with the NUL.
constexpr SizeT kMaxName = 15;

// The kernel thread id of each Valgrind thread (0: none), to find whose
// /proc/.../comm a write names.  Valgrind runs each client thread on a
// kernel thread of its own: the first thread's is the process's at
// startup, a new thread's is clone's result in its creator (which may name
// it before it ever runs), and a forked child's one thread is the child.
Vector<Int>* g_lwp_of = nullptr;
// Open file descriptors that name a thread's comm -> that thread's lwp.
HashMap<Int, Int>* g_comm_fds = nullptr;

Int& lwp_of(ThreadId tid) {
  if (g_lwp_of->size() <= tid) g_lwp_of->resize(tid + 1);
  return (*g_lwp_of)[tid];
}

ThreadId thread_of_lwp(Int lwp) {
  for (ThreadId tid = 1; tid < g_lwp_of->size(); ++tid)
    if ((*g_lwp_of)[tid] == lwp) return tid;
  return 0;
}

// The thread clone is creating, until clone returns its kernel id.
ThreadId g_pending_child = 0;

// In a forked child: only the forking thread exists, as the child's
// kernel thread, and the parent's descriptors are the child's copies.
void on_fork_child(ThreadId tid) {
  for (size_t i = 0; i < g_lwp_of->size(); ++i) (*g_lwp_of)[i] = 0;
  lwp_of(tid) = VG_(gettid)();
}

void on_created(ThreadId, ThreadId child) { g_pending_child = child; }

void on_exit(ThreadId tid) { lwp_of(tid) = 0; }

void on_cloned(Int lwp) {
  if (g_pending_child != 0) lwp_of(g_pending_child) = lwp;
  g_pending_child = 0;
}

// Reads a decimal number at *p, advancing past it; -1 when none.
Int read_number(const HChar** p) {
  if (**p < '0' || **p > '9') return -1;
  Int n = 0;
  for (; **p >= '0' && **p <= '9'; ++*p) n = n * 10 + (**p - '0');
  return n;
}

bool take(const HChar** p, const HChar* word) {
  SizeT n = VG_(strlen)(word);
  if (VG_(strncmp)(*p, word, n) != 0) return false;
  *p += n;
  return true;
}

// The kernel thread whose comm an absolute path names, for this process
// only: /proc/thread-self/comm, /proc/{self,PID}/comm (the main thread),
// /proc/{self,PID}/task/TID/comm.  0 when it names none.
Int lwp_named_by(const HChar* path) {
  const HChar* p = path;
  if (!take(&p, "/proc/")) return 0;
  if (take(&p, "thread-self/comm")) return *p == '\0' ? VG_(gettid)() : 0;
  Int pid = VG_(getpid)();
  if (!take(&p, "self") && read_number(&p) != pid) return 0;
  if (take(&p, "/comm")) return *p == '\0' ? pid : 0;
  if (!take(&p, "/task/")) return 0;
  Int lwp = read_number(&p);
  return take(&p, "/comm") && *p == '\0' ? lwp : 0;
}

void log_name(ThreadId tid, const HChar* bytes, SizeT length) {
  HChar name[kMaxName + 1];
  SizeT n = 0;
  for (; n < length && n < kMaxName && bytes[n] != '\0'; ++n) name[n] = bytes[n];
  name[n] = '\0';
  trace::TextRecord{timeline::thread_number(tid),
                    {reinterpret_cast<const uint8_t*>(name), n}}
      .write(events(), trace::EventKind::ThreadName, timeline::now());
  event_written();
}

bool client_readable(Addr a, SizeT n) {
  return n == 0 || VG_(am_is_valid_for_client)(a, n, VKI_PROT_READ);
}

void on_opened(const HChar* path, Int fd) {
  if (path == nullptr || !client_readable((Addr)path, 1)) return;
  Int lwp = lwp_named_by(path);
  // A descriptor number is reused after close, dup2 and close_range.
  if (lwp != 0)
    (*g_comm_fds)[fd] = lwp;
  else
    g_comm_fds->erase(fd);
}

void on_written(Int fd, Addr buffer, SizeT count) {
  Int* lwp = g_comm_fds->find(fd);
  if (lwp == nullptr) return;
  ThreadId target = thread_of_lwp(*lwp);
  SizeT length = count < kMaxName ? count : kMaxName;
  if (target != 0 && client_readable(buffer, length))
    log_name(target, (const HChar*)buffer, length);
}

void on_post_syscall(ThreadId tid, UInt number, UWord* args, UInt, SysRes result) {
  if (!is_recording()) return;
  if (sr_isError(result)) {
    if (number == __NR_clone) g_pending_child = 0;
    return;
  }
  switch (number) {
    case __NR_clone:
      if (args[0] & VKI_CLONE_THREAD) on_cloned((Int)sr_Res(result));
      break;
    case __NR_prctl:
      if (args[0] == VKI_PR_SET_NAME && client_readable(args[1], 1))
        log_name(tid, (const HChar*)args[1], kMaxName);
      break;
    case __NR_open: on_opened((const HChar*)args[0], (Int)sr_Res(result)); break;
    case __NR_openat:
      // A relative path with a directory fd is not followed: glibc names
      // /proc paths absolutely.
      on_opened((const HChar*)args[1], (Int)sr_Res(result));
      break;
    case __NR_write:
    case __NR_pwrite64: on_written((Int)args[0], args[1], sr_Res(result)); break;
    case __NR_close: g_comm_fds->erase((Int)args[0]); break;
  }
}

}  // namespace

void install_thread_name_log() {
  g_lwp_of = new Vector<Int>();
  g_comm_fds = new HashMap<Int, Int>();
  // pre_clo_init runs on the first thread, Valgrind's thread 1.
  lwp_of(1) = VG_(gettid)();
  VG_(atfork)(nullptr, nullptr, on_fork_child);
  core_events::on_thread_created(on_created);
  core_events::on_thread_exit(on_exit);
  core_events::on_post_syscall(on_post_syscall);
}

}  // namespace unstuck::recorder
