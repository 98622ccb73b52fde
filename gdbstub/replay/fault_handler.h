// Host signals raised by generated code.
//
// SIGSEGV on a write-protected code page of the guest window is a guest
// store into code it has run (self-modifying code, a JIT): the handler lets
// GuestMemory drop the page's translations and make it writable, and
// returns, so the store is retried.
//
// Any other SIGSEGV, SIGBUS or SIGFPE while generated code runs is a fault of
// the guest itself (a division by zero, an access outside the guest window):
// the handler jumps back to the executor's landing (arm_fault_landing),
// which settles the clock like the recorder does at a fault.  Outside generated code such a
// signal is the replayer's own bug: the default action runs.
//
// The handlers run with SA_NODEFER, so leaving one by longjmp leaves no
// signal blocked; only one thread runs generated code at a time.
#pragma once

#include <setjmp.h>
#include <stdint.h>

namespace unstuck::replay {

struct HostFault {
  int signal;
  uintptr_t address;  // si_addr: the data address for SIGSEGV/SIGBUS
};

// Installs the handlers for SIGSEGV, SIGBUS and SIGFPE, replacing whatever
// handles them now (the Executor calls this when it is made).
void install_fault_handlers();

// Between arm and disarm, a guest fault longjmps to `*landing` with value
// 1, disarming it, and is kept for last_host_fault().  (Plain functions, not
// an RAII guard: no destructor may be skipped by the longjmp.)
void arm_fault_landing(jmp_buf* landing);
void disarm_fault_landing();

HostFault last_host_fault();

}  // namespace unstuck::replay
