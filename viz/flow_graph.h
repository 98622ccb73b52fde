// The taint dataflow graph the report draws: sources (inputs), code sites
// and sinks, as a Boost.Graph adjacency list with bundled properties.
// Flow edges go source -> site -> sink, weighted by occurrences; call edges
// go from a caller's site to the site it called (from the findings' stacks),
// so that slicing backwards from a sink also finds how the code got there.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

namespace unstuck::viz {

enum class NodeKind { Source, Site, Sink, Cycle };
enum class EdgeKind { Flow, Call };

// A byte range [start, end) of a named input.
struct InputRange {
  std::string source;
  uint64_t start = 0;
  uint64_t end = 0;
};

struct FlowNode {
  NodeKind kind = NodeKind::Site;
  std::string key;        // identity at the chosen level (merging key)
  std::string label;      // what the picture shows
  std::string function;   // sites: the function ("" when unknown)
  std::vector<std::string> members;  // cycles: the labels collapsed into it
};

struct FlowEdge {
  EdgeKind kind = EdgeKind::Flow;
  uint64_t count = 0;
  std::vector<InputRange> ranges;  // source -> site edges: the bytes that flowed
};

using FlowGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                        FlowNode, FlowEdge>;
using Vertex = FlowGraph::vertex_descriptor;
using Edge = FlowGraph::edge_descriptor;

// The vertex with this key, added (with `node`) when there is none yet.
Vertex find_or_add_node(FlowGraph& graph, const FlowNode& node);

// Adds `count` to the edge from -> to of this kind (created when missing)
// and appends `ranges` to it; returns the edge.
Edge add_to_edge(FlowGraph& graph, Vertex from, Vertex to, EdgeKind kind, uint64_t count,
                 const std::vector<InputRange>& ranges = {});

// A copy of `graph` holding only the vertices with keep[v] (and the edges
// between them, when keep_edge says so).
template <typename KeepEdge>
FlowGraph filtered_copy(const FlowGraph& graph, const std::vector<bool>& keep,
                        KeepEdge keep_edge) {
  FlowGraph out;
  std::vector<Vertex> new_vertex(boost::num_vertices(graph));
  for (Vertex v = 0; v < boost::num_vertices(graph); ++v) {
    if (keep[v]) new_vertex[v] = boost::add_vertex(graph[v], out);
  }
  for (auto [it, end] = boost::edges(graph); it != end; ++it) {
    Vertex s = boost::source(*it, graph), t = boost::target(*it, graph);
    if (keep[s] && keep[t] && keep_edge(*it)) {
      boost::add_edge(new_vertex[s], new_vertex[t], graph[*it], out);
    }
  }
  return out;
}

FlowGraph filtered_copy(const FlowGraph& graph, const std::vector<bool>& keep);

// Drops the sites left without any edge (sources and sinks stay only when
// they still have an edge too): what pruning leaves unconnected is noise.
FlowGraph without_isolated_nodes(const FlowGraph& graph);

}  // namespace unstuck::viz
