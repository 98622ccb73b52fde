#include <doctest/doctest.h>

#include "viz/pruning.h"
#include "viz/tests/small_graphs.h"

namespace unstuck::viz::test {

using S = std::set<std::string>;

// A heavy path in -> hot -> sink (100), a light one in -> cold -> sink (2)
// and a path whose middle is light: in -> mid (50) -> thin (1) -> sink2.
FlowGraph weighted() {
  return graph_of({{"in", "hot", 100}, {"hot", "sink", 100}, {"in", "cold", 2},
                   {"cold", "sink", 2}, {"in", "mid", 50}, {"mid", "thin", 1},
                   {"thin", "sink2", 1}});
}

TEST_CASE("edges under the count go, and the nodes they leave alone") {
  const FlowGraph p = drop_light_edges(weighted(), 3);
  CHECK(labels(p) == S{"in", "hot", "sink", "mid"});
  CHECK(edge_texts(p) == S{"in->hot:100", "hot->sink:100", "in->mid:50"});
}

TEST_CASE("the heaviest path through a node is its lightest edge on the widest path") {
  const FlowGraph g = weighted();
  const auto through = heaviest_path_through(g);
  CHECK(through[vertex_named(g, "hot")] == 100);
  CHECK(through[vertex_named(g, "in")] == 100);
  CHECK(through[vertex_named(g, "cold")] == 2);
  CHECK(through[vertex_named(g, "mid")] == 1);
  CHECK(through[vertex_named(g, "sink2")] == 1);
}

TEST_CASE("keeping the heaviest paths keeps whole paths") {
  const FlowGraph p = keep_heaviest_paths(weighted(), 3);
  CHECK(labels(p) == S{"in", "hot", "sink"});
  const FlowGraph q = keep_heaviest_paths(weighted(), 4);
  CHECK(labels(q) == S{"in", "hot", "sink", "cold"});
  CHECK(boost::num_vertices(keep_heaviest_paths(weighted(), 0)) == 7);
}

}  // namespace unstuck::viz::test
