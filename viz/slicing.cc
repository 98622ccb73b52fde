#include "viz/slicing.h"

#include <charconv>
#include <deque>
#include <functional>

#include "viz/input_error.h"

namespace unstuck::viz {

namespace {

uint64_t parse_offset(const std::string& text, const std::string& whole) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw UsageError("--from " + whole + ": '" + text + "' is not a byte offset");
  }
  return value;
}

bool ranges_meet(const InputRange& a, const InputRange& b) {
  return a.start < b.end && b.start < a.end;
}

bool edge_carries(const FlowGraph& graph, Edge edge, const std::optional<InputRange>& bytes) {
  if (!bytes) return true;
  for (const InputRange& range : graph[edge].ranges) {
    if (ranges_meet(range, *bytes)) return true;
  }
  return false;
}

}  // namespace

SourceSelector parse_source_selector(const std::string& text) {
  SourceSelector selector{text, std::nullopt};
  // A source name may hold ':' itself; only a trailing ":N" or ":N-M" with
  // digits is a byte range.
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) return selector;
  const std::string range = text.substr(colon + 1);
  if (range.empty() || range.find_first_not_of("0123456789-") != std::string::npos) {
    return selector;
  }
  selector.name = text.substr(0, colon);
  const size_t dash = range.find('-');
  InputRange bytes{selector.name, 0, 0};
  bytes.start = parse_offset(range.substr(0, dash), text);
  bytes.end = dash == std::string::npos ? bytes.start + 1
                                        : parse_offset(range.substr(dash + 1), text);
  if (bytes.end <= bytes.start) {
    throw UsageError("--from " + text + ": an empty range (END is excluded: START-END)");
  }
  selector.bytes = bytes;
  return selector;
}

std::vector<Vertex> match_sinks(const FlowGraph& graph, const std::string& sink) {
  std::vector<Vertex> found;
  for (Vertex v = 0; v < boost::num_vertices(graph); ++v) {
    if (graph[v].kind == NodeKind::Sink && graph[v].label.find(sink) != std::string::npos) {
      found.push_back(v);
    }
  }
  if (!found.empty()) return found;
  for (Vertex v = 0; v < boost::num_vertices(graph); ++v) {
    if (graph[v].kind == NodeKind::Site &&
        (graph[v].function == sink || graph[v].label == sink)) {
      found.push_back(v);
    }
  }
  return found;
}

std::vector<Vertex> match_sources(const FlowGraph& graph, const SourceSelector& selector) {
  std::vector<Vertex> found;
  for (Vertex v = 0; v < boost::num_vertices(graph); ++v) {
    if (graph[v].kind == NodeKind::Source && graph[v].label == selector.name) found.push_back(v);
  }
  return found;
}

namespace {

// The vertices reached from `starts` along flow edges (backwards or
// forwards), with `follow` deciding about each edge.
template <typename Follow>
std::vector<bool> flow_reach(const FlowGraph& graph, const std::vector<Vertex>& starts,
                             bool backwards, Follow follow) {
  std::vector<bool> seen(boost::num_vertices(graph));
  std::deque<Vertex> queue(starts.begin(), starts.end());
  for (Vertex v : starts) seen[v] = true;
  auto visit = [&](Edge e, Vertex next) {
    if (graph[e].kind != EdgeKind::Flow || !follow(e) || seen[next]) return;
    seen[next] = true;
    queue.push_back(next);
  };
  while (!queue.empty()) {
    const Vertex v = queue.front();
    queue.pop_front();
    if (backwards) {
      for (auto [it, end] = boost::in_edges(v, graph); it != end; ++it) visit(*it, boost::source(*it, graph));
    } else {
      for (auto [it, end] = boost::out_edges(v, graph); it != end; ++it) visit(*it, boost::target(*it, graph));
    }
  }
  return seen;
}

// A slice follows the data; the calls that led to the code it holds come
// along as context: the chains of callers of every site in it, through call
// edges only (a caller's own data flows are not part of the slice).
FlowGraph with_callers(const FlowGraph& graph, const std::vector<bool>& in_flow,
                       const std::function<bool(Edge)>& keep_flow_edge) {
  std::vector<bool> keep = in_flow;
  std::deque<Vertex> queue;
  for (Vertex v = 0; v < keep.size(); ++v) {
    if (keep[v]) queue.push_back(v);
  }
  while (!queue.empty()) {
    const Vertex v = queue.front();
    queue.pop_front();
    for (auto [it, end] = boost::in_edges(v, graph); it != end; ++it) {
      const Vertex caller = boost::source(*it, graph);
      if (graph[*it].kind == EdgeKind::Call && !keep[caller]) {
        keep[caller] = true;
        queue.push_back(caller);
      }
    }
  }
  return filtered_copy(graph, keep, [&](Edge e) {
    if (graph[e].kind == EdgeKind::Call) return true;  // both ends kept: on a chain of callers
    return bool(in_flow[boost::source(e, graph)] && in_flow[boost::target(e, graph)] &&
                keep_flow_edge(e));
  });
}

}  // namespace

FlowGraph backward_slice(const FlowGraph& graph, const std::vector<Vertex>& targets) {
  // Every flow edge between two vertices that reach the targets is on a
  // path to a target.
  const std::vector<bool> in_flow = flow_reach(graph, targets, true, [](Edge) { return true; });
  return with_callers(graph, in_flow, [](Edge) { return true; });
}

FlowGraph forward_slice(const FlowGraph& graph, const std::vector<Vertex>& starts,
                        const std::optional<InputRange>& bytes) {
  // Out of a source, only the edges that carried the chosen bytes.
  auto carries = [&](Edge e) {
    return graph[boost::source(e, graph)].kind != NodeKind::Source || edge_carries(graph, e, bytes);
  };
  const std::vector<bool> in_flow = flow_reach(graph, starts, false, carries);
  return with_callers(graph, in_flow, carries);
}

}  // namespace unstuck::viz
