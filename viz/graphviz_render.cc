#include "viz/graphviz_render.h"

#include <memory>
#include <stdexcept>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

namespace unstuck::viz {

namespace {

// Graphviz's C objects, released in reverse order whatever happens.
struct ContextCloser {
  void operator()(GVC_t* context) const { gvFreeContext(context); }
};
struct GraphCloser {
  void operator()(Agraph_t* graph) const { agclose(graph); }
};

}  // namespace

std::string render_dot(const std::string& dot, const std::string& format) {
  std::unique_ptr<GVC_t, ContextCloser> context(gvContext());
  if (!context) throw std::runtime_error("Graphviz could not start (gvContext)");
  std::unique_ptr<Agraph_t, GraphCloser> graph(agmemread(dot.c_str()));
  if (!graph) throw std::runtime_error("Graphviz could not read the DOT text");
  if (gvLayout(context.get(), graph.get(), "dot") != 0) {
    throw std::runtime_error("Graphviz's dot layout failed");
  }
  char* data = nullptr;
  unsigned int length = 0;  // graphviz 2.42 (bookworm) takes unsigned int*
  const int status = gvRenderData(context.get(), graph.get(), format.c_str(), &data, &length);
  std::string out;
  if (status == 0 && data) out.assign(data, length);
  if (data) gvFreeRenderData(data);
  gvFreeLayout(context.get(), graph.get());
  if (status != 0) {
    throw std::runtime_error("Graphviz cannot render " + format +
                             " (is its plugin installed? see `dot -P`)");
  }
  return out;
}

}  // namespace unstuck::viz
