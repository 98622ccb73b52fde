#include "viz/dot_writer.h"

#include <cmath>
#include <sstream>

namespace unstuck::viz {

std::string dot_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

namespace {

const char* node_style(NodeKind kind) {
  switch (kind) {
    case NodeKind::Source:
      return "shape=ellipse, style=filled, fillcolor=\"#b7e4c7\", color=\"#2d6a4f\"";
    case NodeKind::Sink:
      return "shape=octagon, style=filled, fillcolor=\"#ffccd5\", color=\"#a4133c\"";
    case NodeKind::Cycle:
      return "shape=box, style=\"filled,rounded,bold\", fillcolor=\"#ffe8a3\", color=\"#b08900\"";
    case NodeKind::Site:
      break;
  }
  return "shape=box, style=\"filled,rounded\", fillcolor=\"#dbe9f6\", color=\"#1d4e89\"";
}

// Heavier edges drawn thicker, on a log scale so that one hot edge does not
// dwarf the rest.
double pen_width(uint64_t count, uint64_t heaviest) {
  if (heaviest <= 1) return 1.0;
  return 1.0 + 4.0 * std::log2(1.0 + count) / std::log2(1.0 + heaviest);
}

}  // namespace

std::string flow_graph_dot(const FlowGraph& graph, const std::string& title) {
  std::ostringstream dot;
  dot << "digraph taint {\n"
      << "  graph [rankdir=LR, label=" << dot_quote(title)
      << ", labelloc=t, fontname=\"Helvetica\", fontsize=14];\n"
      << "  node [fontname=\"Helvetica\", fontsize=11];\n"
      << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  uint64_t heaviest = 0;
  for (auto [it, end] = boost::edges(graph); it != end; ++it) {
    heaviest = std::max(heaviest, graph[*it].count);
  }
  for (Vertex v = 0; v < boost::num_vertices(graph); ++v) {
    dot << "  n" << v << " [label=" << dot_quote(graph[v].label) << ", " << node_style(graph[v].kind);
    if (!graph[v].members.empty()) {
      std::string all;
      for (const std::string& m : graph[v].members) all += m + "\n";
      dot << ", tooltip=" << dot_quote(all);
    }
    dot << "];\n";
  }
  for (auto [it, end] = boost::edges(graph); it != end; ++it) {
    const FlowEdge& e = graph[*it];
    dot << "  n" << boost::source(*it, graph) << " -> n" << boost::target(*it, graph)
        << " [label=" << dot_quote(std::to_string(e.count));
    // Calls are context, not data: thin and grey whatever their count.
    if (e.kind == EdgeKind::Call) {
      dot << ", style=dashed, color=\"#888888\", fontcolor=\"#666666\", arrowhead=empty";
    } else {
      dot << ", penwidth=" << pen_width(e.count, heaviest);
    }
    dot << "];\n";
  }
  dot << "}\n";
  return dot.str();
}

}  // namespace unstuck::viz
