// One subscriber list per Valgrind core event.
//
// Valgrind accepts a single callback per tracked event, but the clock, the
// recorder and the tool itself each need some of them.  Each event is
// registered with the core once, here, and fans out to the subscribers in
// the order they subscribed: the clock subscribes first (in
// timeline::install), so every later subscriber sees settled times; the
// recorder subscribes before the tool's own analysis.
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::core_events {

// Threads and signals.
void on_start_client_code(void (*fn)(ThreadId tid, ULong blocks_done));
void on_stop_client_code(void (*fn)(ThreadId tid, ULong blocks_done));
void on_pre_deliver_signal(void (*fn)(ThreadId tid, Int signal, Bool alt_stack));
void on_thread_created(void (*fn)(ThreadId parent, ThreadId child));
void on_thread_exit(void (*fn)(ThreadId tid));

// System calls (both through VG_(needs_syscall_wrapper)).
void on_pre_syscall(void (*fn)(ThreadId tid, UInt number, UWord* args,
                               UInt count));
void on_post_syscall(void (*fn)(ThreadId tid, UInt number, UWord* args,
                                UInt count, SysRes result));
// The process Valgrind started is about to execve(path): if the exec
// succeeds, nothing more of it is seen (without --trace-children Valgrind's
// fini never runs), so a tool writes what it has.  Not called in forked
// children, which would otherwise write the parent's results as theirs.
// Called only when the exec may succeed (see exec_may_succeed).
void on_exec(void (*fn)(ThreadId tid, const HChar* path));
// Whether execve(path) can succeed: an existing regular file with an
// execute bit.  execvp tries every folder of PATH in turn; the attempts
// that cannot succeed are not worth a message.
bool exec_may_succeed(const HChar* path);

// The address space and memory written outside guest code.
void on_new_mem_mmap(void (*fn)(Addr a, SizeT len, Bool r, Bool w, Bool x,
                                ULong di_handle));
void on_die_mem_munmap(void (*fn)(Addr a, SizeT len));
void on_copy_mem_remap(void (*fn)(Addr from, Addr to, SizeT len));
void on_change_mem_mprotect(void (*fn)(Addr a, SizeT len, Bool r, Bool w,
                                       Bool x));
void on_new_mem_brk(void (*fn)(Addr a, SizeT len, ThreadId tid));
void on_die_mem_brk(void (*fn)(Addr a, SizeT len));
void on_post_mem_write(void (*fn)(CorePart part, ThreadId tid, Addr a,
                                  SizeT size));
// Memory mapped by the core at startup (the executable, the interpreter,
// the initial stack).
void on_new_mem_startup(void (*fn)(Addr a, SizeT len, Bool r, Bool w, Bool x,
                                   ULong di_handle));

// What the core reads or writes on the client's behalf, as its syscall
// wrappers declare it (`what` names the argument, e.g. "write(buf)"), and
// the registers it writes (syscall results, signal frames, client-request
// results).
void on_pre_reg_read(void (*fn)(CorePart part, ThreadId tid, const HChar* what,
                                PtrdiffT guest_offset, SizeT size));
void on_pre_mem_read(void (*fn)(CorePart part, ThreadId tid, const HChar* what,
                                Addr a, SizeT size));
void on_pre_mem_read_asciiz(void (*fn)(CorePart part, ThreadId tid,
                                       const HChar* what, Addr a));
void on_pre_mem_write(void (*fn)(CorePart part, ThreadId tid, const HChar* what,
                                 Addr a, SizeT size));
void on_post_reg_write(void (*fn)(CorePart part, ThreadId tid,
                                  PtrdiffT guest_offset, SizeT size));

}  // namespace unstuck::core_events
