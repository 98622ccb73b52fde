#include "gdbstub/rsp/gdbstub_program.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <unistd.h>

#include "gdbstub/rsp/connection.h"
#include "gdbstub/rsp/executable_path.h"
#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/server.h"

namespace unstuck::rsp {

namespace {

constexpr const char* kUsage =
    "usage: unstuck-gdbstub [TRACE] [--port N] [--print-executable] [--log-packets]\n"
    "Serves a recorded run to GDB, forwards and backwards.\n"
    "  (no --port)          speak on stdin/stdout: in GDB,\n"
    "                         target extended-remote | unstuck-gdbstub TRACE\n"
    "  --port N             listen on 127.0.0.1:N (0: any free port) for one GDB:\n"
    "                         target extended-remote :N\n"
    "  --print-executable   print the recorded program's path and exit\n"
    "  --log-packets        log the protocol on stderr\n"
    "TRACE defaults to the latest trace ($UNSTUCK_TRACE_DIR/latest-trace, else\n"
    "~/.local/share/unstuck/latest-trace).\n";

struct Options {
  std::string trace;
  bool use_port = false;
  uint16_t port = 0;
  bool print_executable = false;
  bool log_packets = false;
};

std::string latest_trace() {
  if (const char* root = std::getenv("UNSTUCK_TRACE_DIR")) return std::string(root) + "/latest-trace";
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/tmp") + "/.local/share/unstuck/latest-trace";
}

// False (after printing why) on a usage error.
bool parse_options(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--port") {
      auto port = i + 1 < argc ? parse_decimal(argv[++i]) : std::nullopt;
      if (!port || *port > 65535) {
        std::fprintf(stderr, "unstuck-gdbstub: --port wants a number from 0 to 65535\n");
        return false;
      }
      options->use_port = true;
      options->port = static_cast<uint16_t>(*port);
    } else if (arg == "--print-executable") {
      options->print_executable = true;
    } else if (arg == "--log-packets") {
      options->log_packets = true;
    } else if (arg.starts_with("-") || !options->trace.empty()) {
      std::fprintf(stderr, "unstuck-gdbstub: unexpected argument '%s' (see unstuck-gdbstub --help)\n",
                   argv[i]);
      return false;
    } else {
      options->trace = arg;
    }
  }
  if (options->trace.empty()) options->trace = latest_trace();
  return true;
}

std::unique_ptr<Connection> open_connection(const Options& options) {
  if (!options.use_port) {
    if (::isatty(STDIN_FILENO)) {
      std::fprintf(stderr,
                   "unstuck-gdbstub: speaking the GDB remote protocol on stdin/stdout; from GDB "
                   "use: target extended-remote | unstuck-gdbstub TRACE\n");
    }
    return stdio_connection();
  }
  std::string error;
  auto connection = accept_on_localhost(
      options.port,
      [](uint16_t port) {
        std::fprintf(stderr, "unstuck-gdbstub: listening on 127.0.0.1:%u (in GDB: target extended-remote :%u)\n",
                     port, port);
      },
      &error);
  if (!connection) std::fprintf(stderr, "unstuck-gdbstub: %s\n", error.c_str());
  return connection;
}

}  // namespace

int run_gdbstub_program(int argc, char** argv, const TargetOpener& open_target) {
  Options options;
  if (argc > 1 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!parse_options(argc, argv, &options)) return 2;
  std::string error;
  auto target = open_target(options.trace, &error);
  if (!target) {
    std::fprintf(stderr, "unstuck-gdbstub: cannot replay %s: %s\n", options.trace.c_str(),
                 error.c_str());
    return 1;
  }
  if (options.print_executable) {
    std::printf("%s\n", recorded_executable(target->summary()).c_str());
    return 0;
  }
  // A client that goes away is noticed as a failed write, not a SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  auto connection = open_connection(options);
  if (!connection) return 1;
  serve(*target, *connection, ServerOptions{options.log_packets});
  return 0;
}

}  // namespace unstuck::rsp
