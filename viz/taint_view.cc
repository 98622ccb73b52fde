#include "viz/taint_view.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "viz/cycle_collapse.h"
#include "viz/input_error.h"
#include "viz/pruning.h"
#include "viz/slicing.h"

namespace unstuck::viz {

FlowGraph taint_view(const ToolFile& file, const ReportOptions& options) {
  FlowGraph graph = build_taint_graph(file, options.graph);
  if (options.to_sink) {
    const std::vector<Vertex> sinks = match_sinks(graph, *options.to_sink);
    if (sinks.empty()) {
      throw UsageError("--to " + *options.to_sink + ": no sink or function of " + file.path +
                       " matches (the text listing shows them)");
    }
    graph = backward_slice(graph, sinks);
  }
  if (options.from_source) {
    const SourceSelector selector = parse_source_selector(*options.from_source);
    const std::vector<Vertex> sources = match_sources(graph, selector);
    if (sources.empty()) {
      throw UsageError("--from " + *options.from_source + ": " + file.path +
                       " has no source named '" + selector.name + "'");
    }
    graph = forward_slice(graph, sources, selector.bytes);
  }
  graph = drop_light_edges(graph, options.min_count);
  if (options.collapse) graph = collapse_cycles(graph);
  // Heaviest paths are defined on an acyclic graph; without collapsing,
  // only the count pruning applies.
  if (options.collapse) graph = keep_heaviest_paths(graph, options.max_nodes);
  return graph;
}

std::string ranges_text(std::vector<InputRange> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const InputRange& a, const InputRange& b) {
    return a.start < b.start || (a.start == b.start && a.end < b.end);
  });
  std::vector<InputRange> merged;
  for (const InputRange& r : ranges) {
    if (!merged.empty() && r.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, r.end);
    } else {
      merged.push_back(r);
    }
  }
  std::string text;
  for (const InputRange& r : merged) {
    text += (text.empty() ? "" : ", ") + std::to_string(r.start) + "-" + std::to_string(r.end);
  }
  return text;
}

std::string file_title(const ToolFile& file) {
  std::string command;
  auto it = file.json.find("command");
  if (it != file.json.end() && it->is_array()) {
    for (const Json& word : *it) {
      if (word.is_string()) command += (command.empty() ? "" : " ") + word.get<std::string>();
    }
  } else if (it != file.json.end() && it->is_string()) {
    command = it->get<std::string>();
  }
  return std::string(tool_name(file.tool)) + ": " + command + " (" + file.path + ")";
}

namespace {

const char* kind_heading(NodeKind kind) {
  switch (kind) {
    case NodeKind::Source: return "sources";
    case NodeKind::Site: return "code";
    case NodeKind::Cycle: return "cycles (collapsed)";
    case NodeKind::Sink: return "sinks";
  }
  return "";
}

// Per source, the bytes an edge carried.
std::string edge_ranges(const FlowEdge& edge) {
  std::map<std::string, std::vector<InputRange>> by_source;
  for (const InputRange& r : edge.ranges) by_source[r.source].push_back(r);
  std::string text;
  for (auto& [source, ranges] : by_source) {
    text += (text.empty() ? "  bytes " : "; ") + ranges_text(ranges);
  }
  return text;
}

}  // namespace

std::string flow_graph_text(const FlowGraph& graph, const std::string& title) {
  std::ostringstream out;
  out << title << "\n"
      << boost::num_vertices(graph) << " nodes, " << boost::num_edges(graph) << " edges\n";
  for (NodeKind kind : {NodeKind::Source, NodeKind::Site, NodeKind::Cycle, NodeKind::Sink}) {
    bool heading = false;
    for (Vertex v = 0; v < boost::num_vertices(graph); ++v) {
      if (graph[v].kind != kind) continue;
      if (!heading) out << "\n" << kind_heading(kind) << ":\n";
      heading = true;
      out << "  " << graph[v].label << "\n";
      for (const std::string& member : graph[v].members) out << "      " << member << "\n";
    }
  }
  std::vector<Edge> edges;
  for (auto [it, end] = boost::edges(graph); it != end; ++it) edges.push_back(*it);
  std::stable_sort(edges.begin(), edges.end(),
                   [&](Edge a, Edge b) { return graph[a].count > graph[b].count; });
  out << "\nedges, heaviest first (count, from -> to; calls as ..>):\n";
  for (Edge e : edges) {
    out << "  " << graph[e].count << "\t" << graph[boost::source(e, graph)].label
        << (graph[e].kind == EdgeKind::Call ? " ..> " : " -> ")
        << graph[boost::target(e, graph)].label << edge_ranges(graph[e]) << "\n";
  }
  return out.str();
}

}  // namespace unstuck::viz
