// argdist's distributions: one bar chart per argument, result and duration
// (its power-of-two buckets), and the same as text.
#pragma once

#include <string>
#include <vector>

#include "viz/json_input.h"
#include "viz/svg_chart.h"

namespace unstuck::viz {

std::vector<BarChart> argdist_charts(const ToolFile& file);

// All the charts, one under the other, in one SVG.
std::string argdist_svg(const ToolFile& file);

std::string argdist_text_report(const ToolFile& file);

}  // namespace unstuck::viz
