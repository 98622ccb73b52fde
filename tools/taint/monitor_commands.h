// GDB monitor commands (valgrind --vgdb=yes, then in GDB):
//   monitor taint ADDR [LEN]   the labels of LEN bytes (default 1) at ADDR
//   monitor taint-reg REG      the labels of a register (rax, eax, xmm0,
//                              ymm3, rflags, ...) of the current thread
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

// False when the command is not the tool's.
Bool handle_monitor_command(ThreadId tid, HChar* command);

}  // namespace unstuck::taint
