// Lays out and renders DOT text in-process with Graphviz's libraries
// (cgraph reads it, gvc lays it out with dot and renders it).
#pragma once

#include <string>

namespace unstuck::viz {

// FORMAT is a Graphviz output format: "svg", "png".  Throws
// std::runtime_error when Graphviz cannot (e.g. no plugin for FORMAT).
std::string render_dot(const std::string& dot, const std::string& format);

}  // namespace unstuck::viz
