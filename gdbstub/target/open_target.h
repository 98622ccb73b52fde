// Opens a trace as a ReplayTarget: what unstuck-gdbstub serves.
#pragma once

#include <memory>
#include <string>

#include "gdbstub/target/replay_target.h"

namespace unstuck::target {

std::unique_ptr<ReplayTarget> open_replay_target(const std::string& trace_folder,
                                                 std::string* error);

}  // namespace unstuck::target
