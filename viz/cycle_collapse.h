// Collapses each strongly connected component of two or more vertices (a
// cycle: recursion, mutual calls, data going round a loop of functions)
// into one Cycle vertex, so that the picture is a DAG a reader can follow.
#pragma once

#include "viz/flow_graph.h"

namespace unstuck::viz {

// Edges between the same two components are summed per kind; edges inside
// a component disappear (a self-loop of a single vertex stays).
FlowGraph collapse_cycles(const FlowGraph& graph);

}  // namespace unstuck::viz
