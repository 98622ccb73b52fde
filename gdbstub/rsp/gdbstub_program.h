// The command line of unstuck-gdbstub, shared by the real program (which
// opens a trace) and the test program fake-gdbstub (which serves a fake
// recording):
//   unstuck-gdbstub [TRACE] [--port N] [--print-executable] [--log-packets]
// Without --port the protocol runs on stdin/stdout, for
// `target extended-remote | unstuck-gdbstub TRACE`.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "gdbstub/target/replay_target.h"

namespace unstuck::rsp {

using TargetOpener = std::function<std::unique_ptr<target::ReplayTarget>(
    const std::string& trace_folder, std::string* error)>;

// Returns the process exit status.
int run_gdbstub_program(int argc, char** argv, const TargetOpener& open_target);

}  // namespace unstuck::rsp
