// Logs every register change not made by guest code, and which thread runs.
//
// When the core stops running a thread's client code, the thread's full
// guest state is saved; when it starts running it again, the words that
// differ from the saved copy are logged.  Whatever the core did in between
// (syscall results, signal delivery and sigreturn, client requests, a new
// thread's first registers) is caught without knowing which it was.
// Digests of the saved state let the replayer name the first divergence.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::recorder {

// Subscribes to thread start/stop, creation and exit.
void install_register_log();

// Instructions between register digests (besides the one at every
// syscall); a digest is written at the first stop after the interval.
void set_register_check_interval(uint64_t instructions);

// Logs a digest of the thread's registers as they were when it last
// stopped running client code (at a syscall, that is when its syscall
// instruction retired).
void log_register_digest(ThreadId tid);

// After a fork, in the child: the new trace starts from nothing, so the
// next start of each thread logs its full registers and a Switch.
void forget_register_states();

}  // namespace unstuck::recorder
