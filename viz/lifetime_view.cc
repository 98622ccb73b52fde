#include "viz/lifetime_view.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "viz/dot_writer.h"
#include "viz/input_error.h"
#include "viz/taint_view.h"

namespace unstuck::viz {

namespace {

uint64_t number(const Json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

std::string first_frame(const Json& stack) {
  if (!stack.is_array() || stack.empty() || !stack[0].is_string()) return "(no stack)";
  return stack[0].get<std::string>();
}

// Per free site (its innermost frame), how many blocks it freed; blocks
// still live at the end count under "live at exit".
std::map<std::string, uint64_t> free_sites(const Json& site) {
  std::map<std::string, uint64_t> frees;
  auto objects = site.find("objects");
  if (objects == site.end()) return frees;
  for (const Json& object : *objects) {
    auto stack = object.find("free_stack");
    if (stack == object.end() || stack->is_null()) {
      ++frees["live at exit"];
    } else {
      std::string kind = object.value("free_kind", "free");
      ++frees[(kind == "realloc" ? "realloc at " : kind + " at ") + first_frame(*stack)];
    }
  }
  return frees;
}

std::string site_heading(const Json& site) {
  return "site " + std::to_string(number(site, "id")) + ": " + first_frame(site["stack"]) +
         "\n" + std::to_string(number(site, "blocks")) + " blocks, " +
         std::to_string(number(site, "bytes")) + " bytes";
}

std::string accesses(const Json& function) {
  return std::to_string(number(function, "reads")) + " reads, " +
         std::to_string(number(function, "writes")) + " writes";
}

}  // namespace

const Json& lifetime_site(const ToolFile& file, std::optional<long> id) {
  const Json& sites = field(file, file.json, "sites");
  if (sites.empty()) throw InputError(file.path, "no allocation site to draw (the program allocated nothing)");
  if (!id) return sites[0];
  for (const Json& site : sites) {
    if (site.value("id", -1L) == *id) return site;
  }
  throw UsageError("--site=" + std::to_string(*id) + ": " + file.path + " has no such site");
}

std::string lifetime_site_dot(const ToolFile& file, std::optional<long> id) {
  const Json& site = lifetime_site(file, id);
  std::ostringstream dot;
  dot << "digraph lifetime {\n  graph [rankdir=LR, label="
      << dot_quote(file_title(file)) << ", labelloc=t, fontname=\"Helvetica\"];\n"
      << "  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=10];\n"
      << "  alloc [label=" << dot_quote(site_heading(site))
      << ", shape=ellipse, style=filled, fillcolor=\"#b7e4c7\", color=\"#2d6a4f\"];\n";
  const Json functions = site.value("functions", Json::array());
  const std::map<std::string, uint64_t> frees = free_sites(site);
  for (size_t i = 0; i < functions.size(); ++i) {
    dot << "  f" << i << " [label=" << dot_quote(functions[i].value("name", "?"))
        << ", shape=box, style=\"filled,rounded\", fillcolor=\"#dbe9f6\", color=\"#1d4e89\"];\n"
        << "  alloc -> f" << i << " [label=" << dot_quote(accesses(functions[i])) << "];\n";
  }
  size_t k = 0;
  for (const auto& [where, count] : frees) {
    dot << "  x" << k << " [label=" << dot_quote(where + "\n" + std::to_string(count) + " blocks")
        << ", shape=box, style=filled, fillcolor=\"#ffccd5\", color=\"#a4133c\"];\n";
    // Which function touched a block last before its free is not in the
    // profile: every accessor leads to every free site.
    if (functions.empty()) dot << "  alloc -> x" << k << " [label=" << dot_quote(std::to_string(count)) << "];\n";
    for (size_t i = 0; i < functions.size(); ++i) {
      dot << "  f" << i << " -> x" << k << " [style=dashed, color=\"#777777\"];\n";
    }
    ++k;
  }
  if (frees.empty()) {
    dot << "  unknown [label=\"free sites not recorded\\n(run lifetime with --objects=all)\", shape=note];\n"
        << "  alloc -> unknown [style=dotted];\n";
  }
  dot << "}\n";
  return dot.str();
}

std::string lifetime_site_text(const ToolFile& file, std::optional<long> id) {
  const Json& site = lifetime_site(file, id);
  std::ostringstream out;
  out << file_title(file) << "\n" << site_heading(site) << "\nstack:\n";
  for (const Json& frame : site.value("stack", Json::array())) {
    out << "  " << frame.get<std::string>() << "\n";
  }
  out << "functions that accessed its blocks (access counts):\n";
  for (const Json& function : site.value("functions", Json::array())) {
    out << "  " << function.value("name", "?") << ": " << accesses(function) << "\n";
  }
  const auto frees = free_sites(site);
  out << "freed:\n";
  if (frees.empty()) out << "  (free sites not recorded: run lifetime with --objects=all)\n";
  for (const auto& [where, count] : frees) out << "  " << count << " blocks: " << where << "\n";
  return out.str();
}

LiveBytes live_bytes(const ToolFile& file) {
  LiveBytes live;
  live.peak = {number(file.json, "time_gmax"), number(field(file, file.json, "totals"), "gmax_bytes")};
  // The tool's own series (lifetime writes it since the series was added):
  // the highest live bytes of each of its intervals.
  if (file.json.contains("live_bytes")) {
    for (const Json& point : field(file, file.json["live_bytes"], "points"))
      live.points.push_back({point.at(0).get<uint64_t>(), point.at(1).get<uint64_t>()});
    live.points.push_back({number(file.json, "time_end"),
                           number(field(file, file.json, "totals"), "end_bytes")});
    live.available = true;
    return live;
  }
  // Older profiles: rebuilt from the object records, when they are all there.
  const Json& options = file.json.value("options", Json::object());
  if (options.value("objects", "") != "all") {
    live.why_not = "not available: the profile lists only some objects (run lifetime with --objects=all)";
    return live;
  }
  std::map<uint64_t, int64_t> change;  // time -> bytes allocated minus freed
  for (const Json& site : field(file, file.json, "sites")) {
    if (number(site, "objects_omitted") > 0) {
      live.why_not = "not available: objects were omitted (raise --max-objects-per-site)";
      return live;
    }
    for (const Json& object : site.value("objects", Json::array())) {
      const int64_t size = static_cast<int64_t>(number(object, "size"));
      change[number(object, "alloc_time")] += size;
      if (object.contains("free_time") && object["free_time"].is_number()) {
        change[object["free_time"].get<uint64_t>()] -= size;
      }
    }
  }
  int64_t bytes = 0;
  for (const auto& [time, delta] : change) {
    bytes += delta;
    live.points.push_back({time, static_cast<uint64_t>(std::max<int64_t>(bytes, 0))});
  }
  live.points.push_back({number(file.json, "time_end"), static_cast<uint64_t>(std::max<int64_t>(bytes, 0))});
  live.available = true;
  return live;
}

StepChart live_bytes_chart(const ToolFile& file) {
  const LiveBytes live = live_bytes(file);
  StepChart chart;
  chart.title = "live heap bytes: " + file_title(file);
  chart.x_label = "time (instructions)";
  chart.y_label = "live bytes";
  chart.points = live.points;
  chart.empty_note = live.why_not;
  if (live.available) {
    chart.marker = live.peak;
    chart.marker_label = "peak " + std::to_string(live.peak.y) + " bytes at " +
                         std::to_string(live.peak.x);
  }
  return chart;
}

std::string live_bytes_svg(const ToolFile& file) { return step_chart_svg(live_bytes_chart(file)); }

std::string live_bytes_text(const ToolFile& file) {
  const LiveBytes live = live_bytes(file);
  std::ostringstream out;
  out << file_title(file) << "\nglobal peak: " << live.peak.y << " bytes at time " << live.peak.x
      << " (" << replay_command(file, live.peak.x) << ")\n";
  if (!live.available) {
    out << "live bytes over time: " << live.why_not << "\n";
    return out.str();
  }
  out << "time\tlive bytes\n";
  for (const StepPoint& p : live.points) out << p.x << "\t" << p.y << "\n";
  return out.str();
}

}  // namespace unstuck::viz
