// Charts the report draws itself, as SVG: a step chart (live heap bytes
// over time) and a bar chart (a histogram).  Graphviz draws graphs only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shared/output/xml_escape.h"

namespace unstuck::viz {

struct StepPoint {
  uint64_t x = 0;
  uint64_t y = 0;
};

struct StepChart {
  std::string title, x_label, y_label;
  std::vector<StepPoint> points;     // sorted by x; the value holds until the next point
  std::optional<StepPoint> marker;   // drawn and labelled (the global peak)
  std::string marker_label;
  std::string empty_note;            // shown instead of a line when there are no points
};

std::string step_chart_svg(const StepChart& chart);

struct BarChart {
  std::string title;
  std::vector<std::pair<std::string, uint64_t>> bars;  // label, count
};

std::string bar_chart_svg(const BarChart& chart);

using unstuck::xml_escape;  // shared/output/xml_escape.h

}  // namespace unstuck::viz
