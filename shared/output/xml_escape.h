// Text inside XML and HTML (GDB's target descriptions and thread lists,
// the report's SVG and HTML pages): & < > " ' escaped.  Host programs only
// (std::string).
#pragma once

#include <string>
#include <string_view>

namespace unstuck {

inline std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace unstuck
