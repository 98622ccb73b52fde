// What the report draws of a taint file: the dataflow graph built at the
// chosen level, sliced (--to, --from), pruned (--min-count), with cycles
// collapsed and only the heaviest paths kept (--max-nodes), in that order.
#pragma once

#include <string>

#include "viz/flow_graph.h"
#include "viz/json_input.h"
#include "viz/report_options.h"

namespace unstuck::viz {

FlowGraph taint_view(const ToolFile& file, const ReportOptions& options);

// The graph as a plain-text listing: nodes by kind, then edges heaviest first.
std::string flow_graph_text(const FlowGraph& graph, const std::string& title);

// "2-4, 16-20": a list of ranges of one source, sorted and coalesced.
std::string ranges_text(std::vector<InputRange> ranges);

// The title the pictures of a file carry: "taint: ./prog arg (taint.out.1)".
std::string file_title(const ToolFile& file);

}  // namespace unstuck::viz
