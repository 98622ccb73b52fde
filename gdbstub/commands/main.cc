// unstuck-trace: the host commands that read traces (bin/unstuck runs it
// for `unstuck dump`, `unstuck ps` and `unstuck verify`).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gdbstub/commands/command.h"

namespace unstuck::commands {

std::string default_trace_root() {
  if (const char* env = std::getenv("UNSTUCK_TRACE_DIR")) return env;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/tmp") + "/.local/share/unstuck";
}

std::string trace_folder_argument(const Arguments& positional) {
  if (!positional.empty()) return positional[0];
  return default_trace_root() + "/latest-trace";
}

}  // namespace unstuck::commands

int main(int argc, char** argv) {
  using namespace unstuck::commands;
  if (argc < 2) {
    std::fprintf(stderr, "usage: unstuck-trace dump|ps|verify [ARGS...]\n");
    return 2;
  }
  Arguments args(argv + 2, argv + argc);
  if (std::strcmp(argv[1], "dump") == 0) return dump_command(args);
  if (std::strcmp(argv[1], "ps") == 0) return ps_command(args);
  if (std::strcmp(argv[1], "verify") == 0) return verify_command(args);
  std::fprintf(stderr, "unstuck-trace: unknown command '%s'\n", argv[1]);
  return 2;
}
