// Syscall arguments as sinks.  Valgrind's syscall wrappers already
// declare, per syscall, every register argument they read and every
// buffer and string the kernel will read ("write(buf)", "open(filename)",
// "execve(argv[i])", "mmap(length)", ...): that table is the core's, and
// this module subscribes to it.  A tainted argument, or tainted bytes in
// a buffer or string the kernel reads, is a "syscall" finding whose
// detail is the wrapper's name for it, at the syscall instruction.
#pragma once

namespace unstuck::taint {

void install_syscall_sinks();

}  // namespace unstuck::taint
