// The client requests the tool handles: its wrappers' (wrapper_protocol.h),
// custom allocators' (include/unstuck/lifetime.h and Valgrind's
// MALLOCLIKE_BLOCK, FREELIKE_BLOCK, RESIZEINPLACE_BLOCK), and gdb's monitor
// commands (monitor_commands.h).
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {

// VG_(needs_client_requests)'s handler: True when the request was ours.
Bool handle_client_request(ThreadId tid, UWord* args, UWord* result);

}  // namespace unstuck::lifetime
