#include "viz/html_page.h"

#include <map>
#include <sstream>

#include "viz/argdist_view.h"
#include "viz/dot_writer.h"
#include "viz/graphviz_render.h"
#include "viz/html_table.h"
#include "viz/input_error.h"
#include "viz/lifetime_view.h"
#include "viz/svg_chart.h"
#include "viz/taint_view.h"

namespace unstuck::viz {

namespace {

const char kStyle[] = R"(<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef; cursor: pointer; user-select: none; }
th:after { content: " \2195"; color: #999; }
tr:nth-child(even) { background: #f8f8fb; }
code { background: #f4f4f4; padding: 1px 3px; white-space: nowrap; }
.picture { overflow: auto; max-width: 100%; border: 1px solid #eee; margin: 1em 0; }
.note { color: #a4133c; }
</style>
)";

// Sorts a table by the clicked column: numbers as numbers, the rest as text;
// a second click reverses.
const char kScript[] = R"(<script>
document.querySelectorAll("table.sortable th").forEach(function (th, column) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var down = th.dataset.order !== "down";
    th.dataset.order = down ? "down" : "up";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].textContent, y = b.cells[index].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return down ? -c : c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
</script>
)";

std::string text(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string where(const Json& object) {
  const std::string file = text(object, "file");
  return file.empty() ? "" : file + ":" + text(object, "line");
}

std::string picture(const std::string& svg) {
  return "<div class=\"picture\">" + inline_svg(svg) + "</div>\n";
}

std::string inputs_text(const Json& finding) {
  std::string out;
  for (const Json& input : finding.value("inputs", Json::array())) {
    std::vector<InputRange> ranges;
    for (const Json& r : input.value("ranges", Json::array())) {
      ranges.push_back({"", r.at(0).get<uint64_t>(), r.at(1).get<uint64_t>()});
    }
    out += (out.empty() ? "" : "; ") + text(input, "source") + " " + ranges_text(ranges);
  }
  return out;
}

void taint_section(std::ostringstream& page, const ToolFile& file, const ReportOptions& options,
                   size_t index) {
  const Json& json = file.json;
  page << "<p>" << xml_escape(text(json, "instructions")) << " instructions; "
       << json.value("sinks", Json::array()).size() << " findings listed";
  if (!json.value("recorded", false)) {
    page << ". <span class=\"note\">This run was not recorded: record it again with "
            "<code>--record=yes</code> (the times stay the same) to visit them with "
            "<code>unstuck replay --goto</code>.</span>";
  }
  page << "</p>\n<h3>Dataflow</h3>\n"
       << picture(render_dot(flow_graph_dot(taint_view(file, options), file_title(file)), "svg"));

  HtmlTable findings({"time", "kind", "detail", "function", "where", "count", "thread", "inputs",
                      "visit"});
  std::map<std::string, std::pair<uint64_t, uint64_t>> per_function;  // findings, occurrences
  for (const Json& f : json.value("sinks", Json::array())) {
    const uint64_t time = f.value("time", 0ULL), count = f.value("count", 1ULL);
    findings.add_row({std::to_string(time), text(f, "kind"), text(f, "detail"),
                      text(f, "function"), where(f), std::to_string(count), text(f, "thread"),
                      inputs_text(f), replay_cell(file, time)});
    auto& totals = per_function[text(f, "function")];
    totals.first += 1;
    totals.second += count;
  }
  page << "<h3>Findings</h3>\n" << findings.html("findings-" + std::to_string(index));

  HtmlTable sites({"function", "where", "address", "occurrences into sinks"});
  const Json& graph = json.value("graph", Json::object());
  std::map<uint64_t, uint64_t> out_count;
  for (const Json& e : graph.value("edges", Json::array())) {
    out_count[e.value("from", 0ULL)] += e.value("count", 0ULL);
  }
  for (const Json& n : graph.value("nodes", Json::array())) {
    if (text(n, "type") != "site") continue;
    sites.add_row({text(n, "function"), where(n), text(n, "address"),
                   std::to_string(out_count[n.value("id", 0ULL)])});
  }
  page << "<h3>Sites</h3>\n" << sites.html("sites-" + std::to_string(index));

  HtmlTable functions({"function", "findings", "occurrences"});
  for (const auto& [name, totals] : per_function) {
    functions.add_row({name, std::to_string(totals.first), std::to_string(totals.second)});
  }
  page << "<h3>Functions</h3>\n" << functions.html("functions-" + std::to_string(index));
}

std::string time_cell(const ToolFile& file, const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return "";
  return std::to_string(it->get<uint64_t>()) + " " + replay_cell(file, it->get<uint64_t>());
}

void lifetime_section(std::ostringstream& page, const ToolFile& file, size_t index) {
  const Json& json = file.json;
  const uint64_t gmax = json.value("time_gmax", 0ULL);
  page << "<p>Global peak: " << xml_escape(text(json["totals"], "gmax_bytes"))
       << " bytes at time " << gmax << " (" << replay_cell(file, gmax) << ").</p>\n"
       << "<h3>Live heap bytes</h3>\n" << picture(live_bytes_svg(file));
  const LiveBytes live = live_bytes(file);
  if (!live.available) page << "<p class=\"note\">Live bytes over time " << xml_escape(live.why_not) << ".</p>\n";

  const Json& sites = json.value("sites", Json::array());
  const size_t kSitesDrawn = 3;
  for (size_t i = 0; i < sites.size() && i < kSitesDrawn; ++i) {
    page << "<h3>Allocation site " << xml_escape(text(sites[i], "id")) << "</h3>\n"
         << picture(render_dot(lifetime_site_dot(file, sites[i].value("id", 0L)), "svg"));
  }
  HtmlTable table({"id", "allocated at", "blocks", "bytes", "avg lifetime", "utilisation",
                   "reads", "writes", "end bytes", "flags"});
  for (const Json& s : sites) {
    const Json& stack = s.value("stack", Json::array());
    std::string flags;
    for (const Json& f : s.value("flags", Json::array())) flags += (flags.empty() ? "" : " ") + f.get<std::string>();
    table.add_row({text(s, "id"), stack.empty() ? "" : stack[0].get<std::string>(),
                   text(s, "blocks"), text(s, "bytes"), text(s, "avg_lifetime"),
                   text(s, "utilisation"), text(s, "reads"), text(s, "writes"),
                   text(s, "end_bytes"), flags});
  }
  page << "<h3>Sites</h3>\n" << table.html("sites-" + std::to_string(index));

  HtmlTable objects({"serial", "site", "size", "kind", "allocated", "first write", "last read",
                     "freed", "misuse"});
  for (const Json& s : sites) {
    for (const Json& o : s.value("objects", Json::array())) {
      objects.add_row({text(o, "serial"), text(s, "id"), text(o, "size"), text(o, "kind"),
                       time_cell(file, o, "alloc_time"), time_cell(file, o, "first_write"),
                       time_cell(file, o, "last_read"), time_cell(file, o, "free_time"),
                       std::to_string(o.value("misuse", Json::array()).size())});
    }
  }
  page << "<h3>Objects</h3>\n";
  if (objects.rows() == 0) page << "<p>No object records (lifetime's --objects=).</p>\n";
  else page << objects.html("objects-" + std::to_string(index));
}

void argdist_section(std::ostringstream& page, const ToolFile& file, size_t index) {
  HtmlTable table({"function", "value", "type", "count", "min", "max", "mean", "stddev",
                   "first min", "first max"});
  for (const Json& f : file.json.value("functions", Json::array())) {
    for (const Json& v : f.value("values", Json::array())) {
      table.add_row({text(f, "name"), text(v, "name"), text(v, "type"), text(v, "count"),
                     text(v, "min"), text(v, "max"), text(v, "mean"), text(v, "stddev"),
                     time_cell(file, v, "first_min_time"), time_cell(file, v, "first_max_time")});
    }
  }
  page << "<h3>Functions</h3>\n" << table.html("argdist-" + std::to_string(index));
  for (const BarChart& chart : argdist_charts(file)) page << picture(bar_chart_svg(chart));
}

}  // namespace

std::string inline_svg(const std::string& svg) {
  const size_t start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

std::string html_page(const std::vector<ToolFile>& files, const ReportOptions& options) {
  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<title>unstuck report</title>\n" << kStyle << "</head>\n<body>\n"
       << "<h1>unstuck report</h1>\n<p>Times are instructions retired; in a recorded run, "
       << "<code>unstuck replay --goto TIME</code> stops there.  Click a column to sort.</p>\n";
  for (size_t i = 0; i < files.size(); ++i) {
    page << "<h2>" << xml_escape(file_title(files[i])) << "</h2>\n";
    try {
      switch (files[i].tool) {
        case Tool::Taint: taint_section(page, files[i], options, i); break;
        case Tool::Lifetime: lifetime_section(page, files[i], i); break;
        case Tool::Argdist: argdist_section(page, files[i], i); break;
      }
    } catch (const Json::exception& e) {
      throw InputError(files[i].path, std::string("malformed ") + tool_name(files[i].tool) +
                                          " file (" + e.what() + ")");
    }
  }
  page << kScript << "</body>\n</html>\n";
  return page.str();
}

}  // namespace unstuck::viz
