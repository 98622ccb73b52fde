#include "viz/argdist_view.h"

#include <regex>
#include <sstream>

#include "viz/taint_view.h"

namespace unstuck::viz {

namespace {

std::string chart_title(const Json& function, const Json& value) {
  return function.value("name", "?") + ": " + value.value("name", "?") + " (" +
         value.value("type", "?") + ")";
}

std::string summary(const Json& value) {
  std::string text = "count " + std::to_string(value.value("count", 0ULL));
  for (const char* key : {"min", "max", "mean", "stddev"}) {
    if (value.contains(key)) text += std::string(", ") + key + " " + value[key].get<std::string>();
  }
  return text;
}

}  // namespace

std::vector<BarChart> argdist_charts(const ToolFile& file) {
  std::vector<BarChart> charts;
  for (const Json& function : field(file, file.json, "functions")) {
    for (const Json& value : function.value("values", Json::array())) {
      BarChart chart{chart_title(function, value), {}};
      for (const Json& bucket : value.value("histogram", Json::array())) {
        chart.bars.emplace_back(bucket.at(0).get<std::string>(), bucket.at(1).get<uint64_t>());
      }
      if (!chart.bars.empty()) charts.push_back(std::move(chart));
    }
  }
  return charts;
}

std::string argdist_svg(const ToolFile& file) {
  // Each chart is a complete SVG; nest them with a vertical offset.
  std::ostringstream body;
  int y = 0, width = 0;
  static const std::regex size(R"re(width="(\d+)" height="(\d+)")re");
  for (const BarChart& chart : argdist_charts(file)) {
    std::string svg = bar_chart_svg(chart);
    std::smatch m;
    std::regex_search(svg, m, size);
    const int w = std::stoi(m[1]), h = std::stoi(m[2]);
    body << "<g transform=\"translate(0," << y << ")\">" << svg << "</g>\n";
    y += h;
    width = std::max(width, w);
  }
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
         "\" height=\"" + std::to_string(y) + "\">\n" + body.str() + "</svg>\n";
}

std::string argdist_text_report(const ToolFile& file) {
  std::ostringstream out;
  out << file_title(file) << "\n";
  for (const Json& function : field(file, file.json, "functions")) {
    out << "\n" << function.value("name", "?") << ": " << function.value("calls", 0ULL)
        << " calls\n";
    for (const Json& value : function.value("values", Json::array())) {
      out << "  " << value.value("name", "?") << " (" << value.value("type", "?")
          << "): " << summary(value) << "\n";
      if (value.contains("first_min_time")) {
        out << "    first min: " << replay_command(file, value["first_min_time"].get<uint64_t>())
            << "; first max: " << replay_command(file, value["first_max_time"].get<uint64_t>())
            << "\n";
      }
      uint64_t most = 1;
      for (const Json& b : value.value("histogram", Json::array())) {
        most = std::max(most, b.at(1).get<uint64_t>());
      }
      for (const Json& b : value.value("histogram", Json::array())) {
        const uint64_t count = b.at(1).get<uint64_t>();
        const size_t bar = static_cast<size_t>(40.0 * count / most + 0.5);
        char line[64];
        std::snprintf(line, sizeof line, "%18s |", b.at(0).get<std::string>().c_str());
        out << "  " << line << std::string(bar, '@') << std::string(40 - bar, ' ') << " "
            << count << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace unstuck::viz
