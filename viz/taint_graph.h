// Builds the dataflow graph of a taint.out file: the tool's own "graph"
// (source -> site -> sink, weighted by occurrences), regrouped at the level
// asked for, with the input ranges of each source -> site edge and the
// callers of each site taken from the findings (docs/taint.md, Output).
#pragma once

#include "viz/flow_graph.h"
#include "viz/json_input.h"

namespace unstuck::viz {

enum class Level { Function, Line, Instruction };

struct TaintGraphOptions {
  Level level = Level::Function;
  int callers = 1;  // caller frames of each finding's site drawn as call edges
};

FlowGraph build_taint_graph(const ToolFile& file, const TaintGraphOptions& options);

// "main (parse.c:8)" style text of one code location at a level; used for
// node keys and labels and by the listing.
std::string site_label(Level level, const std::string& function, const std::string& file,
                       long line, const std::string& address);

}  // namespace unstuck::viz
