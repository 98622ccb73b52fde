#include "viz/taint_graph.h"

#include <unordered_map>

#include "viz/input_error.h"

namespace unstuck::viz {

namespace {

std::string text_or(const Json& object, const char* name, const std::string& fallback) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

long number_or(const Json& object, const char* name, long fallback) {
  auto it = object.find(name);
  return it != object.end() && it->is_number_integer() ? it->get<long>() : fallback;
}

// Keeps a key -> vertex index, so building stays linear on big graphs.
class Builder {
 public:
  Builder(const ToolFile& file, const TaintGraphOptions& options)
      : file_(file), options_(options) {}

  Vertex node(NodeKind kind, const std::string& key, const std::string& label,
              const std::string& function = "") {
    const std::string index_key = std::to_string(static_cast<int>(kind)) + key;
    auto it = index_.find(index_key);
    if (it != index_.end()) return it->second;
    FlowNode node;
    node.kind = kind;
    node.key = key;
    node.label = label;
    node.function = function;
    Vertex v = boost::add_vertex(node, graph_);
    index_.emplace(index_key, v);
    return v;
  }

  // A site or stack frame (both have function, file, line, address).
  Vertex site(const Json& where) {
    const std::string function = text_or(where, "function", "");
    const std::string label =
        site_label(options_.level, function, text_or(where, "file", ""),
                   number_or(where, "line", 0), text_or(where, "address", "?"));
    return node(NodeKind::Site, label, label, function);
  }

  Vertex sink(const Json& where) {
    const std::string label =
        text_or(where, "kind", "sink") + ": " + text_or(where, "detail", "");
    return node(NodeKind::Sink, label, label);
  }

  Vertex source(const std::string& name) { return node(NodeKind::Source, name, name); }

  FlowGraph take() { return std::move(graph_); }
  FlowGraph& graph() { return graph_; }
  const ToolFile& file() const { return file_; }

 private:
  const ToolFile& file_;
  const TaintGraphOptions& options_;
  FlowGraph graph_;
  std::unordered_map<std::string, Vertex> index_;
};

// The tool's graph: its nodes mapped onto ours (several sites of one
// function become one node at function level), edge counts summed.
void add_tool_graph(Builder& builder, const Json& tool_graph) {
  const ToolFile& file = builder.file();
  std::unordered_map<long, Vertex> vertex_of;
  for (const Json& node : field(file, tool_graph, "nodes")) {
    const std::string type = field(file, node, "type").get<std::string>();
    const long id = field(file, node, "id").get<long>();
    if (type == "site") {
      vertex_of[id] = builder.site(node);
    } else if (type == "sink") {
      vertex_of[id] = builder.sink(node);
    } else if (type == "source") {
      vertex_of[id] = builder.source(field(file, node, "name").get<std::string>());
    } else {
      throw InputError(file.path, "malformed taint file: a graph node of type \"" + type + "\"");
    }
  }
  for (const Json& edge : field(file, tool_graph, "edges")) {
    auto from = vertex_of.find(field(file, edge, "from").get<long>());
    auto to = vertex_of.find(field(file, edge, "to").get<long>());
    if (from == vertex_of.end() || to == vertex_of.end()) {
      throw InputError(file.path, "malformed taint file: a graph edge to an unknown node");
    }
    add_to_edge(builder.graph(), from->second, to->second, EdgeKind::Flow,
                field(file, edge, "count").get<uint64_t>());
  }
}

// The findings add what the tool's graph leaves out: which bytes of each
// source reached each site, and who called the site.
void add_findings(Builder& builder, const Json& sinks, int callers) {
  const ToolFile& file = builder.file();
  FlowGraph& graph = builder.graph();
  for (const Json& finding : sinks) {
    const Vertex site = builder.site(finding);
    for (const Json& input : field(file, finding, "inputs")) {
      const std::string name = field(file, input, "source").get<std::string>();
      std::vector<InputRange> ranges;
      for (const Json& range : field(file, input, "ranges")) {
        ranges.push_back({name, range.at(0).get<uint64_t>(), range.at(1).get<uint64_t>()});
      }
      add_to_edge(graph, builder.source(name), site, EdgeKind::Flow, 0, ranges);
    }
    const uint64_t count = number_or(finding, "count", 1);
    auto stack = finding.find("stack");
    if (stack == finding.end() || !stack->is_array()) continue;
    Vertex callee = site;
    for (int depth = 1; depth <= callers && depth < static_cast<int>(stack->size()); ++depth) {
      const Vertex caller = builder.site((*stack)[depth]);
      add_to_edge(graph, caller, callee, EdgeKind::Call, count);
      callee = caller;
    }
  }
}

}  // namespace

std::string site_label(Level level, const std::string& function, const std::string& file,
                       long line, const std::string& address) {
  const std::string name = function.empty() ? address : function;
  const std::string where = file.empty() ? "" : file + ":" + std::to_string(line);
  switch (level) {
    case Level::Function:
      return name;
    case Level::Line:
      return where.empty() ? name : name + " (" + where + ")";
    case Level::Instruction:
      return name + (where.empty() ? "" : " (" + where + ")") + " " + address;
  }
  return name;
}

FlowGraph build_taint_graph(const ToolFile& file, const TaintGraphOptions& options) {
  try {
    Builder builder(file, options);
    add_tool_graph(builder, field(file, file.json, "graph"));
    add_findings(builder, field(file, file.json, "sinks"), options.callers);
    return builder.take();
  } catch (const Json::exception& e) {
    throw InputError(file.path, std::string("malformed taint file (") + e.what() + ")");
  }
}

}  // namespace unstuck::viz
