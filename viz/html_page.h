// unstuck report --html OUT.html: one self-contained page (styles, script
// and pictures inline; nothing fetched at view time) with every file's
// graphs and charts, sortable tables of findings, sites and functions, and
// for every event its time and the `unstuck replay --goto TIME` command.
#pragma once

#include <string>
#include <vector>

#include "viz/json_input.h"
#include "viz/report_options.h"

namespace unstuck::viz {

std::string html_page(const std::vector<ToolFile>& files, const ReportOptions& options);

// An SVG document made fit to sit inside HTML (no XML declaration or
// DOCTYPE, which would name a URL).
std::string inline_svg(const std::string& svg);

}  // namespace unstuck::viz
