#include "viz/argdist_text.h"

#include <regex>
#include <sstream>

#include "viz/input_error.h"

namespace unstuck::viz {

// ordered_json keeps the tools' field order in what --merge writes.
using Json = nlohmann::ordered_json;

bool looks_like_argdist_text(const std::string& text) {
  // Valgrind's preamble names the tool; -q drops it, but every function
  // block has a "calls N, returns N" line.
  return text.find("argdist, the distributions of call arguments") != std::string::npos ||
         std::regex_search(text, std::regex(R"(\n(==\d+== )?  calls \d+, returns \d+)"));
}

namespace {

// The line without Valgrind's "==PID== " prefix.
std::string strip_prefix(const std::string& line) {
  static const std::regex prefix(R"(^==\d+== ?)");
  return std::regex_replace(line, prefix, "", std::regex_constants::format_first_only);
}

std::vector<std::string> report_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(strip_prefix(line));
  return lines;
}

}  // namespace

Json parse_argdist_text(const std::string& path, const std::string& text) {
  static const std::regex calls(R"(^  calls (\d+), returns (\d+))");
  static const std::regex value(
      R"(^  (\S.*?) \((.*)\): count (\d+)(, min (\S+), max (\S+), mean (\S+), stddev (\S+))?)");
  static const std::regex extremes(R"(^  first min at time (\d+), first max at time (\d+))");
  static const std::regex bucket(R"(^ +(\S+) \|[@ ]*\s(\d+)$)");
  static const std::regex command(R"(^Command: (.*)$)");

  Json report = {{"tool", "argdist"}, {"unstuckReportFormat", 1}, {"command", ""},
                 {"functions", Json::array()}};
  const std::vector<std::string> lines = report_lines(text);
  Json* function = nullptr;
  Json* current = nullptr;
  std::smatch m;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (std::regex_match(line, m, command)) {
      report["command"] = m[1].str();
    } else if (i + 1 < lines.size() && !line.empty() && line[0] != ' ' &&
               std::regex_search(lines[i + 1], m, calls)) {
      report["functions"].push_back(
          {{"name", line}, {"calls", std::stoull(m[1])}, {"values", Json::array()}});
      function = &report["functions"].back();
      current = nullptr;
    } else if (function && std::regex_search(line, m, value)) {
      Json v = {{"name", m[1].str()}, {"type", m[2].str()}, {"count", std::stoull(m[3])},
                {"histogram", Json::array()}};
      if (m[4].matched) {
        v["min"] = m[5].str();
        v["max"] = m[6].str();
        v["mean"] = m[7].str();
        v["stddev"] = m[8].str();
      }
      (*function)["values"].push_back(v);
      current = &(*function)["values"].back();
    } else if (current && std::regex_search(line, m, extremes)) {
      (*current)["first_min_time"] = std::stoull(m[1]);
      (*current)["first_max_time"] = std::stoull(m[2]);
    } else if (current && std::regex_match(line, m, bucket)) {
      (*current)["histogram"].push_back({m[1].str(), std::stoull(m[2])});
    }
  }
  if (report["functions"].empty()) {
    throw InputError(path, "an argdist report without any function (was --fn= called?)");
  }
  return report;
}

}  // namespace unstuck::viz
