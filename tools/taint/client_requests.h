// The client requests of include/unstuck/taint.h (mark, clear, query,
// assert tainted / untainted) and, with --vgdb=yes, the GDB monitor
// commands (which Valgrind delivers as a client request too).
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

Bool handle_client_request(ThreadId tid, UWord* args, UWord* result);

}  // namespace unstuck::taint
