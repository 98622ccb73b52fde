// The subcommands of unstuck-trace: one function per command, one file
// each.  A command returns the process exit status: 0 success, 1 a failure
// of the command (bad trace, missing file), 2 a usage error; verify uses 3
// for a replay that diverged.
#pragma once

#include <string>
#include <vector>

namespace unstuck::commands {

using Arguments = std::vector<std::string>;

int dump_command(const Arguments& args);
int ps_command(const Arguments& args);
int verify_command(const Arguments& args);

// The trace root: $UNSTUCK_TRACE_DIR, else ~/.local/share/unstuck (the
// recorder's default when --trace-dir is not given).
std::string default_trace_root();
// A trace argument, or the root's latest-trace when none was given.
std::string trace_folder_argument(const Arguments& positional);

}  // namespace unstuck::commands
