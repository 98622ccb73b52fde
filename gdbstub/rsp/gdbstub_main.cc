// unstuck-gdbstub: serves a trace to GDB over the remote serial protocol.
// The replay engine behind it comes from gdbstub/target/.
#include "gdbstub/rsp/gdbstub_program.h"
#include "gdbstub/target/open_target.h"

int main(int argc, char** argv) {
  return unstuck::rsp::run_gdbstub_program(
      argc, argv, [](const std::string& trace_folder, std::string* error) {
        return unstuck::target::open_replay_target(trace_folder, error);
      });
}
