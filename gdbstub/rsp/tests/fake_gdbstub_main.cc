// fake-gdbstub: unstuck-gdbstub's command line serving FakeTarget instead
// of a trace, so regtest/gdb/ can run the system's GDB against the
// protocol layer alone.  The TRACE argument only names the fake recording
// (monitor info trace shows it); $FAKE_GDBSTUB_EXECUTABLE names its program;
// with $FAKE_GDBSTUB_SPIN set, the first continue runs until interrupted.
#include <cstdlib>

#include "gdbstub/rsp/gdbstub_program.h"
#include "gdbstub/rsp/tests/fake_target.h"

int main(int argc, char** argv) {
  return unstuck::rsp::run_gdbstub_program(argc, argv, [](const std::string& trace, std::string*) {
    auto target = std::make_unique<unstuck::rsp::testing::FakeTarget>();
    target->set_folder(trace);
    if (const char* executable = std::getenv("FAKE_GDBSTUB_EXECUTABLE")) target->set_executable(executable);
    if (std::getenv("FAKE_GDBSTUB_SPIN")) target->run_until_interrupted();
    return target;
  });
}
