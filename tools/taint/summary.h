// The summary on stderr at the end of a run, in Valgrind's style: the
// sources, the findings by kind, and the top findings with their input
// ranges, times and the command that visits them in the replay.
#pragma once

namespace unstuck::taint {

// `output_path`: where the JSON went (null if nowhere).
void print_summary(const char* output_path);

}  // namespace unstuck::taint
