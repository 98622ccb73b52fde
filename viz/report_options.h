// unstuck report's command line (docs/report.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "viz/taint_graph.h"

namespace unstuck::viz {

enum class Format { Text, Svg, Png, Dot };

struct ReportOptions {
  Format format = Format::Text;
  std::string output;        // -o FILE; "" is stdout
  std::string html;          // --html OUT.html
  std::string merge_output;  // --merge OUT.json
  std::vector<std::string> inputs;
  // Taint.
  TaintGraphOptions graph;
  std::optional<std::string> to_sink;
  std::optional<std::string> from_source;
  uint64_t min_count = 1;
  size_t max_nodes = 40;
  bool collapse = true;
  // Lifetime.
  std::optional<long> site;  // --site=ID; default: the site with the most bytes
  bool chart = false;        // --chart: the live bytes over time
};

// Throws UsageError on a bad option; handles nothing else.
ReportOptions parse_report_options(const std::vector<std::string>& args);

extern const char kReportUsage[];

}  // namespace unstuck::viz
