// Where the recorded program is: the trace keeps the path it was started
// with, which may be relative to the recorded working directory.  GDB,
// started elsewhere, needs it absolute (qXfer:exec-file, unstuck replay's
// `file`).
#pragma once

#include <string>

#include "gdbstub/target/replay_target.h"

namespace unstuck::rsp {

// The executable, made absolute against the recorded working directory
// when it is relative and that directory is known; a bare name (no '/')
// is first looked for on PATH, as Valgrind found it.  Empty when unknown.
std::string recorded_executable(const target::TraceSummary& summary);

}  // namespace unstuck::rsp
