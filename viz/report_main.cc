// unstuck report: pictures of the tools' JSON (docs/report.md).  Reads every
// file first (so a bad one stops the report before anything is written),
// then writes what the options ask: a merge, an HTML page, or one picture
// or listing per file.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "viz/argdist_view.h"
#include "viz/dot_writer.h"
#include "viz/graphviz_render.h"
#include "viz/html_page.h"
#include "viz/input_error.h"
#include "viz/json_input.h"
#include "viz/lifetime_view.h"
#include "viz/merge.h"
#include "viz/report_options.h"
#include "viz/taint_view.h"

namespace unstuck::viz {
namespace {

void write_output(const std::string& path, const std::string& data) {
  if (path.empty() || path == "-") {
    std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
    std::cout.flush();
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) throw std::runtime_error(path + ": cannot be written");
}

// DOT text rendered as the format asks (text was handled before).
std::string picture(const std::string& dot, Format format) {
  switch (format) {
    case Format::Dot: return dot;
    case Format::Svg: return render_dot(dot, "svg");
    case Format::Png: return render_dot(dot, "png");
    case Format::Text: break;
  }
  return dot;
}

std::string one_file_report(const ToolFile& file, const ReportOptions& options) {
  switch (file.tool) {
    case Tool::Taint: {
      const FlowGraph graph = taint_view(file, options);
      if (options.format == Format::Text) return flow_graph_text(graph, file_title(file));
      return picture(flow_graph_dot(graph, file_title(file)), options.format);
    }
    case Tool::Lifetime:
      if (options.chart) {
        if (options.format == Format::Text) return live_bytes_text(file);
        if (options.format != Format::Svg) {
          throw UsageError("--chart draws SVG (or text) only");
        }
        return live_bytes_svg(file);
      }
      if (options.format == Format::Text) return lifetime_site_text(file, options.site);
      return picture(lifetime_site_dot(file, options.site), options.format);
    case Tool::Argdist:
      if (options.format == Format::Text) return argdist_text_report(file);
      if (options.format != Format::Svg) throw UsageError("argdist's charts are SVG (or text)");
      return argdist_svg(file);
  }
  return "";
}

// A field of the wrong type deep in a file surfaces as a JSON exception:
// name the file.
template <typename Work>
std::string with_file_named(const ToolFile& file, Work work) {
  try {
    return work();
  } catch (const Json::exception& e) {
    throw InputError(file.path, std::string("malformed ") + tool_name(file.tool) + " file (" +
                                    e.what() + ")");
  }
}

int run(const std::vector<std::string>& args) {
  const ReportOptions options = parse_report_options(args);
  std::vector<ToolFile> files;
  for (const std::string& path : options.inputs) files.push_back(load_tool_file(path));
  if (!options.merge_output.empty()) {
    write_output(options.merge_output, merge_files(files).dump(1) + "\n");
    return 0;
  }
  if (!options.html.empty()) {
    write_output(options.html, html_page(files, options));  // names a bad file itself
    return 0;
  }
  if (files.size() > 1 && (options.format == Format::Svg || options.format == Format::Png)) {
    throw UsageError("one file at a time for SVG and PNG (--html takes many)");
  }
  std::string all;
  for (const ToolFile& file : files) all += with_file_named(file, [&] { return one_file_report(file, options); });
  write_output(options.output, all);
  return 0;
}

}  // namespace
}  // namespace unstuck::viz

int main(int argc, char** argv) {
  using namespace unstuck::viz;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kReportUsage;
    return 0;
  }
  try {
    return run(args);
  } catch (const UsageError& e) {
    std::cerr << "unstuck report: " << e.what() << "\n" << kReportUsage;
    return 2;
  } catch (const InputError& e) {
    std::cerr << "unstuck report: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "unstuck report: " << e.what() << "\n";
    return 1;
  }
}
