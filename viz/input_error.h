// The one error the report raises for bad input: its message names the file
// and the problem, and report_main turns it into a line on stderr and exit
// status 1 (never a crash).
#pragma once

#include <stdexcept>
#include <string>

namespace unstuck::viz {

struct InputError : std::runtime_error {
  InputError(const std::string& file, const std::string& problem)
      : std::runtime_error(file + ": " + problem) {}
};

// A mistake on the command line (exit status 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace unstuck::viz
