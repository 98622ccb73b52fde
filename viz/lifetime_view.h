// What the report shows of a lifetime profile (docs/lifetime.md): for one
// allocation site, the graph allocation site -> functions that read or
// wrote its blocks -> the sites that freed them, with access counts; and
// the live heap bytes over time with the global peak marked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "viz/json_input.h"
#include "viz/svg_chart.h"

namespace unstuck::viz {

// The site with this id, or the first (the profile lists the most bytes
// first); throws UsageError for an unknown id.
const Json& lifetime_site(const ToolFile& file, std::optional<long> id);

std::string lifetime_site_dot(const ToolFile& file, std::optional<long> id);
std::string lifetime_site_text(const ToolFile& file, std::optional<long> id);

// The live heap bytes over time, rebuilt from the object records; only a
// profile made with --objects=all and no object omitted has them all.
struct LiveBytes {
  bool available = false;
  std::string why_not;  // when not available
  std::vector<StepPoint> points;
  StepPoint peak;  // the tool's own time_gmax and gmax_bytes
};

LiveBytes live_bytes(const ToolFile& file);
StepChart live_bytes_chart(const ToolFile& file);
std::string live_bytes_svg(const ToolFile& file);
std::string live_bytes_text(const ToolFile& file);

}  // namespace unstuck::viz
