#include "gdbstub/rsp/executable_path.h"

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <unistd.h>

namespace unstuck::rsp {

namespace {

namespace fs = std::filesystem;

// A bare name (gzip, as in `unstuck record -- gzip`) was found on PATH, as
// Valgrind finds its client (and execvp a program): look for it the same
// way, on this machine's PATH (the replay runs where the recording ran).
// Relative folders of PATH are the recorded working directory's.  Empty
// when not found.
std::string on_path(const std::string& name, const std::string& working_directory) {
  const char* path = std::getenv("PATH");
  std::string_view folders = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    size_t colon = folders.find(':');
    fs::path folder(std::string(folders.substr(0, colon)));
    if (folder.empty()) folder = ".";
    if (folder.is_relative()) folder = fs::path(working_directory) / folder;
    fs::path candidate = (folder / name).lexically_normal();
    std::error_code error;
    if (candidate.is_absolute() && fs::is_regular_file(candidate, error) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
    if (colon == std::string_view::npos) return "";
    folders.remove_prefix(colon + 1);
  }
}

}  // namespace

std::string recorded_executable(const target::TraceSummary& summary) {
  const std::string& path = summary.executable;
  if (path.empty() || path[0] == '/') return path;
  if (path.find('/') == std::string::npos) {
    std::string found = on_path(path, summary.working_directory);
    if (!found.empty()) return found;
  }
  if (summary.working_directory.empty()) return path;
  return (fs::path(summary.working_directory) / path).lexically_normal().string();
}

}  // namespace unstuck::rsp
