// Reading the tools' output files: which tool wrote a file, and whether this
// report understands its schema version.  Everything downstream gets a
// ToolFile whose JSON has been checked for the tool and the version.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace unstuck::viz {

// ordered_json keeps the tools' field order in what --merge writes.
using Json = nlohmann::ordered_json;

enum class Tool { Taint, Lifetime, Argdist };

const char* tool_name(Tool tool);

struct ToolFile {
  std::string path;
  Tool tool;
  Json json;
};

// Reads PATH; throws InputError when it is missing, empty, not JSON (nor
// argdist's text report), or another program's file or schema version.
ToolFile load_tool_file(const std::string& path);

// Identifies parsed JSON (used by load_tool_file, and by tests).
Tool identify_tool(const std::string& path, const Json& json);

// The command that visits TIME in the run FILE describes: "unstuck replay
// TRACE --goto TIME" when the tool recorded the run and named its trace
// ("trace"), else "unstuck replay --goto TIME" (the latest trace).
std::string replay_command(const ToolFile& file, unsigned long long time);

// Field access that turns a missing or mistyped field into an InputError
// naming the file, rather than an exception from deep in the library.
const Json& field(const ToolFile& file, const Json& object, const char* name);

}  // namespace unstuck::viz
