#include "gdbstub/rsp/executable_path.h"

#include <filesystem>

namespace unstuck::rsp {

std::string recorded_executable(const target::TraceSummary& summary) {
  const std::string& path = summary.executable;
  if (path.empty() || path[0] == '/' || summary.working_directory.empty()) return path;
  return (std::filesystem::path(summary.working_directory) / path).lexically_normal().string();
}

}  // namespace unstuck::rsp
