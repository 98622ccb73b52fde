#include "viz/cycle_collapse.h"

#include <boost/graph/strong_components.hpp>

namespace unstuck::viz {

namespace {

// The vertex standing for a component of several vertices.
FlowNode cycle_node(const FlowGraph& graph, const std::vector<Vertex>& members) {
  FlowNode node;
  node.kind = NodeKind::Cycle;
  for (Vertex v : members) node.members.push_back(graph[v].label);
  std::string shown;
  const size_t kShownMembers = 3;
  for (size_t i = 0; i < members.size() && i < kShownMembers; ++i) {
    shown += (i ? ", " : "") + node.members[i];
  }
  if (members.size() > kShownMembers) {
    shown += ", +" + std::to_string(members.size() - kShownMembers);
  }
  node.label = "cycle of " + std::to_string(members.size()) + ": " + shown;
  node.key = "cycle:" + node.members.front();
  return node;
}

}  // namespace

FlowGraph collapse_cycles(const FlowGraph& graph) {
  const size_t n = boost::num_vertices(graph);
  std::vector<int> component(n);
  const int components = n == 0 ? 0 : boost::strong_components(
      graph, boost::make_iterator_property_map(component.begin(),
                                               boost::get(boost::vertex_index, graph)));
  std::vector<std::vector<Vertex>> members(components);
  for (Vertex v = 0; v < n; ++v) members[component[v]].push_back(v);

  // One vertex per component, in the order of the components' first
  // members, so that the output keeps the input's order where it can.
  FlowGraph out;
  std::vector<Vertex> new_vertex(components);
  std::vector<bool> made(components);
  for (Vertex v = 0; v < n; ++v) {
    const int c = component[v];
    if (made[c]) continue;
    made[c] = true;
    new_vertex[c] = boost::add_vertex(
        members[c].size() == 1 ? graph[v] : cycle_node(graph, members[c]), out);
  }
  for (auto [it, end] = boost::edges(graph); it != end; ++it) {
    const int from = component[boost::source(*it, graph)];
    const int to = component[boost::target(*it, graph)];
    if (from == to && members[from].size() > 1) continue;
    add_to_edge(out, new_vertex[from], new_vertex[to], graph[*it].kind, graph[*it].count,
                graph[*it].ranges);
  }
  return out;
}

}  // namespace unstuck::viz
