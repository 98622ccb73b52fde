#include "gdbstub/target/open_target.h"

#include "gdbstub/target/time_machine.h"

namespace unstuck::target {

std::unique_ptr<ReplayTarget> open_replay_target(const std::string& trace_folder,
                                                 std::string* error) {
  return TimeMachine::open(trace_folder, TimeMachineOptions{}, error);
}

}  // namespace unstuck::target
