// Making big graphs readable: drop the edges seen fewer than N times, and
// keep only the vertices on the heaviest paths.
#pragma once

#include <cstdint>

#include "viz/flow_graph.h"

namespace unstuck::viz {

// Drops edges with count < min_count, then the vertices left unconnected.
FlowGraph drop_light_edges(const FlowGraph& graph, uint64_t min_count);

// The weight of the heaviest path through each vertex: a path's weight is
// its lightest edge (the occurrences that could have flowed all along it),
// and a path runs from a vertex without in-edges to one without out-edges.
// The graph must be acyclic apart from self-loops (collapse cycles first).
std::vector<uint64_t> heaviest_path_through(const FlowGraph& graph);

// Keeps the max_nodes vertices on the heaviest paths (ties: the earlier
// vertex), and the edges between them; 0 keeps everything.
FlowGraph keep_heaviest_paths(const FlowGraph& graph, size_t max_nodes);

}  // namespace unstuck::viz
