#include "viz/svg_chart.h"

#include <algorithm>
#include <sstream>

namespace unstuck::viz {

namespace {

constexpr int kWidth = 720, kHeight = 300;
constexpr int kLeft = 80, kRight = 20, kTop = 40, kBottom = 50;

void open_svg(std::ostringstream& svg, int width, int height, const std::string& title) {
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\""
      << height << "\" viewBox=\"0 0 " << width << " " << height
      << "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n"
      << "<title>" << xml_escape(title) << "</title>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">"
      << xml_escape(title) << "</text>\n";
}

// A long series drawn as at most a few points per pixel column: per
// column its highest value and its last, so that no peak is lost.
std::vector<StepPoint> envelope(const std::vector<StepPoint>& points, uint64_t min_x,
                                uint64_t max_x, int columns) {
  const size_t kPointsPerColumn = 4;
  if (points.size() <= kPointsPerColumn * columns) return points;
  std::vector<StepPoint> out;
  const double width = static_cast<double>(max_x - min_x) / columns;
  size_t i = 0;
  while (i < points.size()) {
    const auto column = static_cast<uint64_t>((points[i].x - min_x) / width);
    StepPoint highest = points[i], last = points[i];
    for (; i < points.size() && static_cast<uint64_t>((points[i].x - min_x) / width) == column; ++i) {
      if (points[i].y > highest.y) highest = points[i];
      last = points[i];
    }
    out.push_back(highest);
    if (last.x != highest.x) out.push_back(last);
  }
  return out;
}

}  // namespace

std::string step_chart_svg(const StepChart& chart) {
  std::ostringstream svg;
  open_svg(svg, kWidth, kHeight, chart.title);
  const int plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  svg << "<line x1=\"" << kLeft << "\" y1=\"" << kTop + plot_h << "\" x2=\"" << kLeft + plot_w
      << "\" y2=\"" << kTop + plot_h << "\" stroke=\"black\"/>\n"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kTop << "\" x2=\"" << kLeft << "\" y2=\""
      << kTop + plot_h << "\" stroke=\"black\"/>\n"
      << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 12
      << "\" text-anchor=\"middle\">" << xml_escape(chart.x_label) << "</text>\n"
      << "<text x=\"14\" y=\"" << kTop + plot_h / 2 << "\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
      << kTop + plot_h / 2 << ")\">" << xml_escape(chart.y_label) << "</text>\n";
  if (chart.points.empty()) {
    svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kTop + plot_h / 2
        << "\" text-anchor=\"middle\" fill=\"#a4133c\">" << xml_escape(chart.empty_note)
        << "</text>\n</svg>\n";
    return svg.str();
  }
  // The time axis starts at the first event: a program's start-up before
  // its first allocation would otherwise take most of the width.
  const uint64_t min_x = chart.points.front().x;
  uint64_t max_x = min_x + 1, max_y = 1;
  for (const StepPoint& p : chart.points) {
    max_x = std::max(max_x, p.x);
    max_y = std::max(max_y, p.y);
  }
  auto sx = [&](uint64_t x) {
    return kLeft + static_cast<double>(x - min_x) / (max_x - min_x) * plot_w;
  };
  auto sy = [&](uint64_t y) { return kTop + plot_h - static_cast<double>(y) / max_y * plot_h; };
  // Axis ends: 0 and the maxima.
  svg << "<text x=\"" << kLeft - 4 << "\" y=\"" << kTop + 4 << "\" text-anchor=\"end\">" << max_y
      << "</text>\n<text x=\"" << kLeft - 4 << "\" y=\"" << kTop + plot_h
      << "\" text-anchor=\"end\">0</text>\n<text x=\"" << kLeft + plot_w << "\" y=\""
      << kTop + plot_h + 14 << "\" text-anchor=\"end\">" << max_x << "</text>\n<text x=\""
      << kLeft << "\" y=\"" << kTop + plot_h + 14 << "\">" << min_x << "</text>\n";
  svg << "<polyline fill=\"none\" stroke=\"#1d4e89\" stroke-width=\"1.5\" points=\"";
  uint64_t previous_y = 0;
  for (const StepPoint& p : envelope(chart.points, min_x, max_x, plot_w)) {
    svg << sx(p.x) << "," << sy(previous_y) << " " << sx(p.x) << "," << sy(p.y) << " ";
    previous_y = p.y;
  }
  svg << sx(max_x) << "," << sy(previous_y) << "\"/>\n";
  if (chart.marker) {
    const double x = sx(chart.marker->x), y = sy(chart.marker->y);
    svg << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"4\" fill=\"#a4133c\"/>\n"
        << "<text x=\"" << x << "\" y=\"" << y - 8 << "\" text-anchor=\""
        << (x > kLeft + plot_w * 0.7 ? "end" : "start") << "\" fill=\"#a4133c\">"
        << xml_escape(chart.marker_label) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

std::string bar_chart_svg(const BarChart& chart) {
  const int bar_h = 16, label_w = 110, bar_w = 420, count_w = 80;
  const int height = kTop + static_cast<int>(chart.bars.size()) * (bar_h + 4) + 20;
  const int width = label_w + bar_w + count_w + 20;
  std::ostringstream svg;
  open_svg(svg, width, height, chart.title);
  uint64_t most = 1;
  for (const auto& bar : chart.bars) most = std::max(most, bar.second);
  int y = kTop;
  for (const auto& [label, count] : chart.bars) {
    const double w = static_cast<double>(count) / most * bar_w;
    svg << "<text x=\"" << label_w - 6 << "\" y=\"" << y + bar_h - 4 << "\" text-anchor=\"end\">"
        << xml_escape(label) << "</text>\n<rect x=\"" << label_w << "\" y=\"" << y
        << "\" width=\"" << w << "\" height=\"" << bar_h << "\" fill=\"#1d4e89\"/>\n<text x=\""
        << label_w + w + 4 << "\" y=\"" << y + bar_h - 4 << "\">" << count << "</text>\n";
    y += bar_h + 4;
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace unstuck::viz
