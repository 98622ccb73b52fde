// Small graphs with known answers, written as edge lists of node names:
// a name starting with "in" is a source, "sink" a sink, anything else code.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>
#include <tuple>

#include "viz/flow_graph.h"

namespace unstuck::viz::test {

struct E {
  const char* from;
  const char* to;
  uint64_t count;
};

inline NodeKind kind_of_name(const std::string& name) {
  if (name.rfind("in", 0) == 0) return NodeKind::Source;
  if (name.rfind("sink", 0) == 0) return NodeKind::Sink;
  return NodeKind::Site;
}

inline FlowGraph graph_of(std::initializer_list<E> edges) {
  FlowGraph g;
  for (const E& e : edges) {
    auto node = [](const std::string& name) {
      FlowNode n;
      n.kind = kind_of_name(name);
      n.key = n.label = n.function = name;
      return n;
    };
    // Named in order, so that vertex numbers follow the list.
    const Vertex from = find_or_add_node(g, node(e.from));
    const Vertex to = find_or_add_node(g, node(e.to));
    add_to_edge(g, from, to, EdgeKind::Flow, e.count);
  }
  return g;
}

inline std::set<std::string> labels(const FlowGraph& g) {
  std::set<std::string> out;
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) out.insert(g[v].label);
  return out;
}

// "a->b:3" for every edge, sorted.
inline std::set<std::string> edge_texts(const FlowGraph& g) {
  std::set<std::string> out;
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    out.insert(g[boost::source(*it, g)].label + "->" + g[boost::target(*it, g)].label + ":" +
               std::to_string(g[*it].count));
  }
  return out;
}

inline Vertex vertex_named(const FlowGraph& g, const std::string& label) {
  for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
    if (g[v].label == label) return v;
  }
  throw std::runtime_error("no vertex " + label);
}

}  // namespace unstuck::viz::test
