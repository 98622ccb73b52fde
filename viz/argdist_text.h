// argdist writes its histograms as text on stderr, and its results as JSON
// (argdist_json.h).  The report also reads the text report (valgrind
// --tool=argdist --log-file=FILE ..., or stderr saved) into JSON of its own: {"tool": "argdist", "unstuckReportFormat": 1,
// "functions": [{"name", "calls", "values": [{"name", "type", "count",
// "min", "max", "mean", "stddev", "first_min_time", "first_max_time",
// "histogram": [[BUCKET, COUNT], ...]}]}]}, which --merge also writes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace unstuck::viz {

bool looks_like_argdist_text(const std::string& text);

// Throws InputError naming PATH when the text holds no function.
nlohmann::ordered_json parse_argdist_text(const std::string& path, const std::string& text);

}  // namespace unstuck::viz
