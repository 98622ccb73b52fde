#include "viz/pruning.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>

#include <boost/graph/topological_sort.hpp>

namespace unstuck::viz {

FlowGraph drop_light_edges(const FlowGraph& graph, uint64_t min_count) {
  std::vector<bool> all(boost::num_vertices(graph), true);
  return without_isolated_nodes(
      filtered_copy(graph, all, [&](Edge e) { return graph[e].count >= min_count; }));
}

namespace {

bool is_self_loop(const FlowGraph& graph, Edge e) {
  return boost::source(e, graph) == boost::target(e, graph);
}

// The vertices in topological order, self-loops ignored.
std::vector<Vertex> topological_order(const FlowGraph& graph) {
  std::vector<bool> all(boost::num_vertices(graph), true);
  const FlowGraph acyclic =
      filtered_copy(graph, all, [&](Edge e) { return !is_self_loop(graph, e); });
  std::vector<Vertex> reversed;
  boost::topological_sort(acyclic, std::back_inserter(reversed));
  return {reversed.rbegin(), reversed.rend()};
}

}  // namespace

namespace {

// The widest paths into and out of every vertex, with the neighbour each
// one goes through (so that a kept vertex can bring its whole path along).
struct WidestPaths {
  std::vector<uint64_t> into, out_of;
  std::vector<std::optional<Vertex>> best_before, best_after;
};

WidestPaths widest_paths(const FlowGraph& graph) {
  constexpr uint64_t kUnbounded = std::numeric_limits<uint64_t>::max();
  const size_t n = boost::num_vertices(graph);
  const std::vector<Vertex> order = topological_order(graph);
  // into[v]: the heaviest path from a root ending at v; out_of[v]: from v
  // to a leaf.  A root (leaf) is unbounded on its own side.
  WidestPaths paths{std::vector<uint64_t>(n, 0), std::vector<uint64_t>(n, 0),
                    std::vector<std::optional<Vertex>>(n), std::vector<std::optional<Vertex>>(n)};
  for (Vertex v : order) {
    bool has_in = false;
    for (auto [it, end] = boost::in_edges(v, graph); it != end; ++it) {
      if (is_self_loop(graph, *it)) continue;
      has_in = true;
      const Vertex u = boost::source(*it, graph);
      const uint64_t width = std::min(paths.into[u], graph[*it].count);
      if (!paths.best_before[v] || width > paths.into[v]) {
        paths.into[v] = width;
        paths.best_before[v] = u;
      }
    }
    if (!has_in) paths.into[v] = kUnbounded;
  }
  for (auto v = order.rbegin(); v != order.rend(); ++v) {
    bool has_out = false;
    for (auto [it, end] = boost::out_edges(*v, graph); it != end; ++it) {
      if (is_self_loop(graph, *it)) continue;
      has_out = true;
      const Vertex w = boost::target(*it, graph);
      const uint64_t width = std::min(paths.out_of[w], graph[*it].count);
      if (!paths.best_after[*v] || width > paths.out_of[*v]) {
        paths.out_of[*v] = width;
        paths.best_after[*v] = w;
      }
    }
    if (!has_out) paths.out_of[*v] = kUnbounded;
  }
  return paths;
}

}  // namespace

std::vector<uint64_t> heaviest_path_through(const FlowGraph& graph) {
  const WidestPaths paths = widest_paths(graph);
  std::vector<uint64_t> through(boost::num_vertices(graph));
  for (Vertex v = 0; v < through.size(); ++v) {
    through[v] = std::min(paths.into[v], paths.out_of[v]);
    if (through[v] == std::numeric_limits<uint64_t>::max()) through[v] = 0;  // no edge at all
  }
  return through;
}

FlowGraph keep_heaviest_paths(const FlowGraph& graph, size_t max_nodes) {
  const size_t n = boost::num_vertices(graph);
  if (max_nodes == 0 || n <= max_nodes) return graph;
  const WidestPaths paths = widest_paths(graph);
  const std::vector<uint64_t> through = heaviest_path_through(graph);
  std::vector<Vertex> ranked(n);
  std::iota(ranked.begin(), ranked.end(), 0);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](Vertex a, Vertex b) { return through[a] > through[b]; });
  // Take the vertices by weight, each with the rest of its heaviest path,
  // so that no path is cut in the middle (a path may overshoot max_nodes).
  std::vector<bool> keep(n);
  size_t kept = 0;
  auto take = [&](Vertex v) {
    if (!keep[v]) {
      keep[v] = true;
      ++kept;
    }
  };
  for (Vertex v : ranked) {
    if (kept >= max_nodes) break;
    if (keep[v]) continue;
    take(v);
    for (auto u = paths.best_before[v]; u; u = paths.best_before[*u]) take(*u);
    for (auto w = paths.best_after[v]; w; w = paths.best_after[*w]) take(*w);
  }
  return without_isolated_nodes(filtered_copy(graph, keep));
}

}  // namespace unstuck::viz
