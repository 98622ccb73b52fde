// The dataflow graph as Graphviz DOT text: sources, code, sinks and cycles
// in different colours and shapes, edges labelled with their counts and
// drawn thicker the more they carry; call edges dashed.
#pragma once

#include <string>

#include "viz/flow_graph.h"

namespace unstuck::viz {

std::string flow_graph_dot(const FlowGraph& graph, const std::string& title);

// A string as a DOT double-quoted string (quotes and backslashes escaped).
std::string dot_quote(const std::string& text);

}  // namespace unstuck::viz
