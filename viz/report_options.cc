#include "viz/report_options.h"

#include <charconv>

#include "viz/input_error.h"

namespace unstuck::viz {

const char kReportUsage[] =
    "usage: unstuck report [OPTIONS] FILE...      pictures of the tools' output files\n"
    "       unstuck report --html OUT.html FILE...   one self-contained page\n"
    "       unstuck report --merge OUT.json FILE...  add up many runs of one tool\n"
    "\n"
    "  --format=text|svg|png|dot  what to write (default text)\n"
    "  -o FILE, --output=FILE     where (default: standard output)\n"
    "taint files:\n"
    "  --level=function|line|instruction  how finely code is grouped (function)\n"
    "  --to SINK                  only what reaches sinks whose kind or detail\n"
    "                             contains SINK (e.g. memcpy, syscall), or function SINK\n"
    "  --from SOURCE[:START-END]  only what the source (its bytes [START, END)) reaches\n"
    "  --min-count=N              drop edges seen fewer than N times (1)\n"
    "  --max-nodes=N              keep the N nodes on the heaviest paths (40; 0: all)\n"
    "  --callers=N                draw N callers of each site (1)\n"
    "  --collapse=yes|no          cycles as one node (yes)\n"
    "lifetime files:\n"
    "  --site=ID                  the allocation site to draw (default: most bytes)\n"
    "  --chart                    the live heap bytes over time instead\n"
    "argdist: its text report (valgrind --tool=argdist --log-file=FILE ...)\n";

namespace {

uint64_t parse_count(const std::string& option, const std::string& value) {
  uint64_t n = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (error != std::errc() || end != value.data() + value.size() || value.empty()) {
    throw UsageError(option + ": '" + value + "' is not a number");
  }
  return n;
}

Format parse_format(const std::string& value) {
  if (value == "text") return Format::Text;
  if (value == "svg") return Format::Svg;
  if (value == "png") return Format::Png;
  if (value == "dot") return Format::Dot;
  throw UsageError("--format=" + value + ": one of text, svg, png, dot");
}

Level parse_level(const std::string& value) {
  if (value == "function") return Level::Function;
  if (value == "line") return Level::Line;
  if (value == "instruction") return Level::Instruction;
  throw UsageError("--level=" + value + ": one of function, line, instruction");
}

bool parse_yes_no(const std::string& option, const std::string& value) {
  if (value == "yes") return true;
  if (value == "no") return false;
  throw UsageError(option + "=" + value + ": yes or no");
}

}  // namespace

ReportOptions parse_report_options(const std::vector<std::string>& args) {
  ReportOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const bool inline_value = equals != std::string::npos && arg.rfind("--", 0) == 0;
    // "--to X" and "--to=X" alike.
    auto value = [&]() -> std::string {
      if (inline_value) return arg.substr(equals + 1);
      if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
      return args[++i];
    };
    if (name == "--format") options.format = parse_format(value());
    else if (name == "-o" || name == "--output") options.output = value();
    else if (name == "--html") options.html = value();
    else if (name == "--merge") options.merge_output = value();
    else if (name == "--level") options.graph.level = parse_level(value());
    else if (name == "--to") options.to_sink = value();
    else if (name == "--from") options.from_source = value();
    else if (name == "--min-count") options.min_count = parse_count(name, value());
    else if (name == "--max-nodes") options.max_nodes = parse_count(name, value());
    else if (name == "--callers") options.graph.callers = static_cast<int>(parse_count(name, value()));
    else if (name == "--collapse") options.collapse = parse_yes_no(name, value());
    else if (name == "--site") options.site = static_cast<long>(parse_count(name, value()));
    else if (arg == "--chart") options.chart = true;
    else if (arg == "--") {
      options.inputs.insert(options.inputs.end(), args.begin() + i + 1, args.end());
      break;
    } else if (arg.size() > 1 && arg[0] == '-') {
      throw UsageError("unknown option '" + arg + "'");
    } else {
      options.inputs.push_back(arg);
    }
  }
  if (options.inputs.empty()) throw UsageError("which files? (unstuck report [OPTIONS] FILE...)");
  if (options.to_sink && options.from_source) {
    throw UsageError("--to and --from: one slice at a time");
  }
  return options;
}

}  // namespace unstuck::viz
