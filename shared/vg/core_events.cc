#include "shared/vg/core_events.h"

#include "shared/rt/check.h"

namespace unstuck::core_events {
namespace {

// A fixed-size list: subscribers are a handful of modules, known at build
// time, and subscribe before any client code runs.
template <typename... Args>
struct Hub {
  static constexpr int kMax = 8;
  void (*fns[kMax])(Args...);
  int count;
};

// Adds `fn`; true for the first subscriber, when the caller registers the
// fan-out with the core.
template <typename... Args>
bool add(Hub<Args...>& hub, void (*fn)(Args...)) {
  UNSTUCK_CHECK_MSG(hub.count < Hub<Args...>::kMax,
                    "too many subscribers to a core event");
  hub.fns[hub.count++] = fn;
  return hub.count == 1;
}

template <typename... Args>
void call(const Hub<Args...>& hub, Args... args) {
  for (int i = 0; i < hub.count; ++i) hub.fns[i](args...);
}

Hub<ThreadId, ULong> g_start = {};
Hub<ThreadId, ULong> g_stop = {};
Hub<ThreadId, Int, Bool> g_signal = {};
Hub<ThreadId, ThreadId> g_created = {};
Hub<ThreadId> g_exit = {};
Hub<ThreadId, const HChar*> g_exec = {};
Int g_started_pid = 0;  // the process Valgrind started
Hub<ThreadId, UInt, UWord*, UInt> g_pre_syscall = {};
Hub<ThreadId, UInt, UWord*, UInt, SysRes> g_post_syscall = {};
Hub<Addr, SizeT, Bool, Bool, Bool, ULong> g_mmap = {};
Hub<Addr, SizeT> g_munmap = {};
Hub<Addr, Addr, SizeT> g_remap = {};
Hub<Addr, SizeT, Bool, Bool, Bool> g_mprotect = {};
Hub<Addr, SizeT, ThreadId> g_brk = {};
Hub<Addr, SizeT> g_die_brk = {};
Hub<CorePart, ThreadId, Addr, SizeT> g_mem_write = {};
Hub<Addr, SizeT, Bool, Bool, Bool, ULong> g_startup = {};
Hub<CorePart, ThreadId, const HChar*, PtrdiffT, SizeT> g_pre_reg_read = {};
Hub<CorePart, ThreadId, const HChar*, Addr, SizeT> g_pre_mem_read = {};
Hub<CorePart, ThreadId, const HChar*, Addr> g_pre_mem_read_asciiz = {};
Hub<CorePart, ThreadId, const HChar*, Addr, SizeT> g_pre_mem_write = {};
Hub<CorePart, ThreadId, PtrdiffT, SizeT> g_post_reg_write = {};

bool g_syscalls_registered = false;

void register_syscall_wrappers() {
  if (g_syscalls_registered) return;
  g_syscalls_registered = true;
  VG_(needs_syscall_wrapper)(
      [](ThreadId t, UInt n, UWord* a, UInt c) { call(g_pre_syscall, t, n, a, c); },
      [](ThreadId t, UInt n, UWord* a, UInt c, SysRes r) {
        call(g_post_syscall, t, n, a, c, r);
      });
}

}  // namespace

bool exec_may_succeed(const HChar* path) {
  if (path == nullptr || !VG_(am_is_valid_for_client)((Addr)path, 1, VKI_PROT_READ)) return false;
  struct vg_stat st;
  if (sr_isError(VG_(stat)(path, &st))) return path[0] != '/';  // relative to a dirfd: unknown
  return VKI_S_ISREG(st.mode) && (st.mode & 0111) != 0;
}

void on_exec(void (*fn)(ThreadId, const HChar*)) {
  if (!add(g_exec, fn)) return;
  g_started_pid = VG_(getpid)();
  on_pre_syscall([](ThreadId t, UInt n, UWord* a, UInt) {
    if (VG_(getpid)() != g_started_pid) return;
    if (n != __NR_execve && n != __NR_execveat) return;
    const HChar* path = reinterpret_cast<const HChar*>(n == __NR_execve ? a[0] : a[1]);
    if (exec_may_succeed(path)) call(g_exec, t, path);
  });
}

void on_start_client_code(void (*fn)(ThreadId, ULong)) {
  if (add(g_start, fn))
    VG_(track_start_client_code)([](ThreadId t, ULong b) { call(g_start, t, b); });
}
void on_stop_client_code(void (*fn)(ThreadId, ULong)) {
  if (add(g_stop, fn))
    VG_(track_stop_client_code)([](ThreadId t, ULong b) { call(g_stop, t, b); });
}
void on_pre_deliver_signal(void (*fn)(ThreadId, Int, Bool)) {
  if (add(g_signal, fn))
    VG_(track_pre_deliver_signal)(
        [](ThreadId t, Int s, Bool alt) { call(g_signal, t, s, alt); });
}
void on_thread_created(void (*fn)(ThreadId, ThreadId)) {
  if (add(g_created, fn))
    VG_(track_pre_thread_ll_create)(
        [](ThreadId p, ThreadId c) { call(g_created, p, c); });
}
void on_thread_exit(void (*fn)(ThreadId)) {
  if (add(g_exit, fn))
    VG_(track_pre_thread_ll_exit)([](ThreadId t) { call(g_exit, t); });
}
void on_pre_syscall(void (*fn)(ThreadId, UInt, UWord*, UInt)) {
  add(g_pre_syscall, fn);
  register_syscall_wrappers();
}
void on_post_syscall(void (*fn)(ThreadId, UInt, UWord*, UInt, SysRes)) {
  add(g_post_syscall, fn);
  register_syscall_wrappers();
}
void on_new_mem_mmap(void (*fn)(Addr, SizeT, Bool, Bool, Bool, ULong)) {
  if (add(g_mmap, fn))
    VG_(track_new_mem_mmap)([](Addr a, SizeT l, Bool r, Bool w, Bool x, ULong d) {
      call(g_mmap, a, l, r, w, x, d);
    });
}
void on_die_mem_munmap(void (*fn)(Addr, SizeT)) {
  if (add(g_munmap, fn))
    VG_(track_die_mem_munmap)([](Addr a, SizeT l) { call(g_munmap, a, l); });
}
void on_copy_mem_remap(void (*fn)(Addr, Addr, SizeT)) {
  if (add(g_remap, fn))
    VG_(track_copy_mem_remap)([](Addr f, Addr t, SizeT l) { call(g_remap, f, t, l); });
}
void on_change_mem_mprotect(void (*fn)(Addr, SizeT, Bool, Bool, Bool)) {
  if (add(g_mprotect, fn))
    VG_(track_change_mem_mprotect)([](Addr a, SizeT l, Bool r, Bool w, Bool x) {
      call(g_mprotect, a, l, r, w, x);
    });
}
void on_new_mem_brk(void (*fn)(Addr, SizeT, ThreadId)) {
  if (add(g_brk, fn))
    VG_(track_new_mem_brk)([](Addr a, SizeT l, ThreadId t) { call(g_brk, a, l, t); });
}
void on_die_mem_brk(void (*fn)(Addr, SizeT)) {
  if (add(g_die_brk, fn))
    VG_(track_die_mem_brk)([](Addr a, SizeT l) { call(g_die_brk, a, l); });
}
void on_post_mem_write(void (*fn)(CorePart, ThreadId, Addr, SizeT)) {
  if (add(g_mem_write, fn))
    VG_(track_post_mem_write)([](CorePart p, ThreadId t, Addr a, SizeT s) {
      call(g_mem_write, p, t, a, s);
    });
}

void on_new_mem_startup(void (*fn)(Addr, SizeT, Bool, Bool, Bool, ULong)) {
  if (add(g_startup, fn))
    VG_(track_new_mem_startup)([](Addr a, SizeT l, Bool r, Bool w, Bool x, ULong d) {
      call(g_startup, a, l, r, w, x, d);
    });
}
void on_pre_reg_read(void (*fn)(CorePart, ThreadId, const HChar*, PtrdiffT, SizeT)) {
  if (add(g_pre_reg_read, fn))
    VG_(track_pre_reg_read)([](CorePart p, ThreadId t, const HChar* s, PtrdiffT o,
                               SizeT n) { call(g_pre_reg_read, p, t, s, o, n); });
}
void on_pre_mem_read(void (*fn)(CorePart, ThreadId, const HChar*, Addr, SizeT)) {
  if (add(g_pre_mem_read, fn))
    VG_(track_pre_mem_read)([](CorePart p, ThreadId t, const HChar* s, Addr a,
                               SizeT n) { call(g_pre_mem_read, p, t, s, a, n); });
}
void on_pre_mem_read_asciiz(void (*fn)(CorePart, ThreadId, const HChar*, Addr)) {
  if (add(g_pre_mem_read_asciiz, fn))
    VG_(track_pre_mem_read_asciiz)([](CorePart p, ThreadId t, const HChar* s, Addr a) {
      call(g_pre_mem_read_asciiz, p, t, s, a);
    });
}
void on_pre_mem_write(void (*fn)(CorePart, ThreadId, const HChar*, Addr, SizeT)) {
  if (add(g_pre_mem_write, fn))
    VG_(track_pre_mem_write)([](CorePart p, ThreadId t, const HChar* s, Addr a,
                                SizeT n) { call(g_pre_mem_write, p, t, s, a, n); });
}
void on_post_reg_write(void (*fn)(CorePart, ThreadId, PtrdiffT, SizeT)) {
  if (add(g_post_reg_write, fn))
    VG_(track_post_reg_write)([](CorePart p, ThreadId t, PtrdiffT o, SizeT n) {
      call(g_post_reg_write, p, t, o, n);
    });
}

}  // namespace unstuck::core_events
