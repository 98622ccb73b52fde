// A replay worker: a process that owns a TraceReplayer and serves the
// coordinator's requests (worker_protocol.h) on its channel.  Forking a
// worker copies the whole replay state (the guest memory, the engine's code
// cache, the trace position) copy-on-write: that is how snapshots are made.
#pragma once

#include <string>

namespace unstuck::target {

// In a child process: opens the trace, moves to its first state and serves
// `channel` until Quit or until the coordinator goes away; never returns.
[[noreturn]] void run_replay_worker(int channel, const std::string& trace_folder);

}  // namespace unstuck::target
