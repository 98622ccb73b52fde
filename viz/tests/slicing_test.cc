#include <doctest/doctest.h>

#include "viz/input_error.h"
#include "viz/slicing.h"
#include "viz/tests/small_graphs.h"

namespace unstuck::viz::test {

using S = std::set<std::string>;

// in1 -> a -> sink1, in2 -> b -> sink2, and a calls b (a call edge).
FlowGraph two_flows() {
  FlowGraph g = graph_of({{"in1", "a", 5}, {"a", "sink1", 5}, {"in2", "b", 2}, {"b", "sink2", 2},
                          {"a", "b", 1}});
  g[boost::edge(vertex_named(g, "a"), vertex_named(g, "b"), g).first].kind = EdgeKind::Call;
  return g;
}

TEST_CASE("a backward slice keeps what reaches the sink, and the callers of its code") {
  const FlowGraph g = two_flows();
  const FlowGraph s1 = backward_slice(g, {vertex_named(g, "sink1")});
  CHECK(labels(s1) == S{"in1", "a", "sink1"});
  CHECK(edge_texts(s1) == S{"in1->a:5", "a->sink1:5"});
  // a calls b, so it comes along, but not a's own data (in1).
  const FlowGraph s2 = backward_slice(g, {vertex_named(g, "sink2")});
  CHECK(labels(s2) == S{"in2", "a", "b", "sink2"});
  CHECK(edge_texts(s2) == S{"in2->b:2", "b->sink2:2", "a->b:1"});
}

TEST_CASE("a forward slice follows data, not calls") {
  const FlowGraph g = two_flows();
  const FlowGraph s = forward_slice(g, {vertex_named(g, "in2")});
  CHECK(labels(s) == S{"in2", "a", "b", "sink2"});
  CHECK(edge_texts(s) == S{"in2->b:2", "b->sink2:2", "a->b:1"});
  const FlowGraph t = forward_slice(g, {vertex_named(g, "in1")});
  CHECK(labels(t) == S{"in1", "a", "sink1"});
}

TEST_CASE("a forward slice from a byte range follows only the edges that carried it") {
  FlowGraph g = graph_of({{"in", "header", 1}, {"header", "sink1", 1}, {"in", "payload", 1},
                          {"payload", "sink2", 1}});
  for (auto [it, end] = boost::out_edges(vertex_named(g, "in"), g); it != end; ++it) {
    const bool header = g[boost::target(*it, g)].label == "header";
    g[*it].ranges = {{"in", header ? 0u : 4u, header ? 4u : 52u}};
  }
  const SourceSelector selector = parse_source_selector("in:16-20");
  CHECK(selector.name == "in");
  REQUIRE(selector.bytes);
  CHECK(selector.bytes->start == 16);
  CHECK(selector.bytes->end == 20);
  const FlowGraph s = forward_slice(g, match_sources(g, selector), selector.bytes);
  CHECK(labels(s) == S{"in", "payload", "sink2"});
  const FlowGraph h = forward_slice(g, {vertex_named(g, "in")}, InputRange{"in", 3, 4});
  CHECK(labels(h) == S{"in", "header", "sink1"});
}

TEST_CASE("source selectors") {
  CHECK(parse_source_selector("input.bin").name == "input.bin");
  CHECK(!parse_source_selector("input.bin").bytes);
  CHECK(parse_source_selector("input.bin:7").bytes->end == 8);
  CHECK(parse_source_selector("c:/x").name == "c:/x");
  CHECK_THROWS_AS(parse_source_selector("in:9-3"), UsageError);
  CHECK_THROWS_AS(parse_source_selector("in:1-"), UsageError);
}

TEST_CASE("sinks are matched by kind or detail, else by function") {
  FlowGraph g = graph_of({{"in", "main", 1}, {"main", "sink: memcpy: arg 3 (size)", 1}});
  CHECK(match_sinks(g, "memcpy").size() == 1);
  CHECK(match_sinks(g, "main").size() == 1);
  CHECK(match_sinks(g, "strlen").empty());
}

}  // namespace unstuck::viz::test
