// The stop-reply packets that end a resume, `?` and vRun: T packets that
// name the thread and the reason, W/X for the recorded end of the process.
#pragma once

#include <string>

#include "gdbstub/target/replay_target.h"

namespace unstuck::rsp {

struct StopContext {
  // A breakpoint stop at an address inserted only with Z1 (hwbreak).
  bool hardware_breakpoint = false;
  // Whether the client announced the swbreak/hwbreak stop reasons in
  // qSupported; without them GDB would not understand the keys.
  bool client_knows_break_reasons = true;
  // The direction of the resume that stopped: an Error ends the history
  // in that direction.
  target::Direction direction = target::Direction::Forward;
};

std::string stop_reply_packet(const target::StopEvent& stop, const StopContext& context);

// True for the stops after which the process no longer exists for GDB.
bool is_process_end(const target::StopEvent& stop);

}  // namespace unstuck::rsp
