#include "viz/flow_graph.h"

namespace unstuck::viz {

Vertex find_or_add_node(FlowGraph& graph, const FlowNode& node) {
  // Graphs here are small (hundreds of nodes) after the level grouping, but
  // building one reads every finding: a linear search per lookup would be
  // quadratic, so callers needing speed keep their own index.  This one is
  // for tests and small graphs.
  for (Vertex v = 0; v < boost::num_vertices(graph); ++v) {
    if (graph[v].kind == node.kind && graph[v].key == node.key) return v;
  }
  return boost::add_vertex(node, graph);
}

Edge add_to_edge(FlowGraph& graph, Vertex from, Vertex to, EdgeKind kind, uint64_t count,
                 const std::vector<InputRange>& ranges) {
  for (auto [it, end] = boost::out_edges(from, graph); it != end; ++it) {
    if (boost::target(*it, graph) == to && graph[*it].kind == kind) {
      graph[*it].count += count;
      graph[*it].ranges.insert(graph[*it].ranges.end(), ranges.begin(), ranges.end());
      return *it;
    }
  }
  FlowEdge edge;
  edge.kind = kind;
  edge.count = count;
  edge.ranges = ranges;
  return boost::add_edge(from, to, edge, graph).first;
}

FlowGraph filtered_copy(const FlowGraph& graph, const std::vector<bool>& keep) {
  return filtered_copy(graph, keep, [](Edge) { return true; });
}

FlowGraph without_isolated_nodes(const FlowGraph& graph) {
  std::vector<bool> keep(boost::num_vertices(graph));
  for (Vertex v = 0; v < keep.size(); ++v) {
    keep[v] = boost::in_degree(v, graph) + boost::out_degree(v, graph) > 0;
  }
  return filtered_copy(graph, keep);
}

}  // namespace unstuck::viz
