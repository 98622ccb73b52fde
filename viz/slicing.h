// Slices of the dataflow graph: everything that reaches a chosen sink
// (backwards), or everything a chosen source or input range reaches
// (forwards).  Vertices are chosen by name, see the matchers below.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "viz/flow_graph.h"

namespace unstuck::viz {

// --from SOURCE[:START-END]: a source by name, optionally only the bytes
// [START, END) of it ("input.bin:16-20"; "input.bin:16" is one byte).
struct SourceSelector {
  std::string name;
  std::optional<InputRange> bytes;
};

SourceSelector parse_source_selector(const std::string& text);

// The vertices --to SINK names: sinks whose "kind: detail" contains SINK
// (e.g. "memcpy", "branch"), else sites whose label or function is SINK.
std::vector<Vertex> match_sinks(const FlowGraph& graph, const std::string& sink);

// The sources --from names (exact name).
std::vector<Vertex> match_sources(const FlowGraph& graph, const SourceSelector& selector);

// Slices follow flow edges only (calls are not data flow); the callers of
// the code in a slice are added through call edges, as context.
//
// The vertices whose data reaches `targets` (targets included), with the
// flow edges between them, and their callers.
FlowGraph backward_slice(const FlowGraph& graph, const std::vector<Vertex>& targets);

// The vertices the data of `starts` reaches, where the first step out of a
// source takes only edges whose ranges meet `bytes` (when given), and
// their callers.
FlowGraph forward_slice(const FlowGraph& graph, const std::vector<Vertex>& starts,
                        const std::optional<InputRange>& bytes = std::nullopt);

}  // namespace unstuck::viz
