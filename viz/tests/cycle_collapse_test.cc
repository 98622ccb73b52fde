#include <doctest/doctest.h>

#include "viz/cycle_collapse.h"
#include "viz/tests/small_graphs.h"

namespace unstuck::viz::test {

using S = std::set<std::string>;

TEST_CASE("a cycle becomes one node and the edges around it add up") {
  // in -> a -> b -> c -> a (a cycle of three), b -> sink, c -> sink.
  const FlowGraph g = graph_of({{"in", "a", 4}, {"a", "b", 3}, {"b", "c", 2}, {"c", "a", 1},
                                {"b", "sink", 5}, {"c", "sink", 6}});
  const FlowGraph c = collapse_cycles(g);
  CHECK(boost::num_vertices(c) == 3);
  CHECK(labels(c) == S{"in", "sink", "cycle of 3: a, b, c"});
  CHECK(edge_texts(c) == S{"in->cycle of 3: a, b, c:4", "cycle of 3: a, b, c->sink:11"});
  const Vertex cycle = vertex_named(c, "cycle of 3: a, b, c");
  CHECK(c[cycle].kind == NodeKind::Cycle);
  CHECK(c[cycle].members.size() == 3);
}

TEST_CASE("an acyclic graph is unchanged, and a self-loop stays") {
  const FlowGraph g = graph_of({{"in", "a", 1}, {"a", "a", 7}, {"a", "sink", 1}});
  const FlowGraph c = collapse_cycles(g);
  CHECK(labels(c) == labels(g));
  CHECK(edge_texts(c) == edge_texts(g));
}

TEST_CASE("two separate cycles stay separate") {
  const FlowGraph g = graph_of({{"f", "g", 1}, {"g", "f", 1}, {"g", "h", 2}, {"h", "k", 1},
                                {"k", "h", 1}});
  const FlowGraph c = collapse_cycles(g);
  CHECK(boost::num_vertices(c) == 2);
  CHECK(boost::num_edges(c) == 1);
  CHECK(edge_texts(c) == S{"cycle of 2: f, g->cycle of 2: h, k:2"});
}

}  // namespace unstuck::viz::test
