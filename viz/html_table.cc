#include "viz/html_table.h"

#include "viz/svg_chart.h"

namespace unstuck::viz {

std::string HtmlTable::html(const std::string& id) const {
  std::string out = "<table class=\"sortable\" id=\"" + xml_escape(id) + "\">\n<thead><tr>";
  for (const std::string& h : headings_) out += "<th>" + xml_escape(h) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows_) {
    out += "<tr>";
    for (const std::string& cell : row) {
      out += "<td>" + (cell.rfind("<code>", 0) == 0 ? cell : xml_escape(cell)) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string replay_cell(const ToolFile& file, unsigned long long time) {
  return "<code>" + xml_escape(replay_command(file, time)) + "</code>";
}

}  // namespace unstuck::viz
