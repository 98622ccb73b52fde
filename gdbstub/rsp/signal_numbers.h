// Linux signal numbers (what a trace records) to the remote protocol's
// signal numbers (GDB's own enumeration, include/gdb/signals.def), which
// differ from Linux for SIGBUS, SIGUSR1, SIGCHLD and others.
#pragma once

namespace unstuck::rsp {

inline constexpr int kGdbSignalTrap = 5;
inline constexpr int kGdbSignalInt = 2;

int gdb_signal_from_linux(int linux_signal);

}  // namespace unstuck::rsp
