// Monitor commands, for a live run under --vgdb=yes (gdb's `monitor ...`,
// vgdb's command line) or VALGRIND_MONITOR_COMMAND in the program:
//   object ADDR   the object holding ADDR (live, or recently freed) and its
//                 history so far
//   objects [N]   the live objects, the N largest listed (default 20)
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {

class ObjectTable;

void install_monitor_commands(ObjectTable* objects);

// True when the command was one of ours.
bool handle_monitor_command(const HChar* command);

}  // namespace unstuck::lifetime
