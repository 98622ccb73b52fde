// unstuck report --merge OUT.json IN...: many runs of one tool (a test
// suite run in parallel) as one file of the same schema, which the report
// reads like any other.  Counts add up, graphs unite, histograms add;
// docs/report.md says what happens to each field.
#pragma once

#include <vector>

#include "viz/json_input.h"

namespace unstuck::viz {

// Throws InputError when the files are not all of one tool.
Json merge_files(const std::vector<ToolFile>& files);

Json merge_taint(const std::vector<ToolFile>& files);
Json merge_lifetime(const std::vector<ToolFile>& files);
Json merge_argdist(const std::vector<ToolFile>& files);

}  // namespace unstuck::viz
