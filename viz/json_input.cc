#include "viz/json_input.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "viz/argdist_json.h"
#include "viz/argdist_text.h"
#include "viz/input_error.h"

namespace unstuck::viz {

// The schema versions this report reads, one per tool.
constexpr int kTaintFormat = 1;
constexpr int kLifetimeVersion = 1;
constexpr int kArgdistReportFormat = 1;

const char* tool_name(Tool tool) {
  switch (tool) {
    case Tool::Taint: return "taint";
    case Tool::Lifetime: return "lifetime";
    case Tool::Argdist: return "argdist";
  }
  return "?";
}

static std::string read_whole_file(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw InputError(path, "is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot be read (missing, or no permission)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "cannot be read (is it a folder?)");
  return text.str();
}

static bool only_blanks(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

static void check_version(const std::string& path, const Json& json,
                          const char* tool, const char* key, int expected) {
  auto it = json.find(key);
  if (it == json.end() || !it->is_number_integer()) {
    throw InputError(path, std::string("a ") + tool + " file without its \"" +
                               key + "\" version field");
  }
  if (it->get<long long>() != expected) {
    throw InputError(path, std::string(tool) + " schema version " +
                               std::to_string(it->get<long long>()) +
                               ", this report reads version " +
                               std::to_string(expected));
  }
}

Tool identify_tool(const std::string& path, const Json& json) {
  if (!json.is_object() || !json.contains("tool") || !json["tool"].is_string()) {
    throw InputError(path, "JSON, but not the output of an unstuck tool (no \"tool\" field)");
  }
  const std::string tool = json["tool"].get<std::string>();
  if (tool == "taint") {
    check_version(path, json, "taint", "format", kTaintFormat);
    return Tool::Taint;
  }
  if (tool == "lifetime") {
    check_version(path, json, "lifetime", "lifetimeFileVersion", kLifetimeVersion);
    return Tool::Lifetime;
  }
  if (tool == "argdist") {
    // argdist's own file was turned into the report's form on loading
    // (argdist_json.h); that form, as read from the text report or written
    // by --merge, carries this version.
    check_version(path, json, "argdist", "unstuckReportFormat", kArgdistReportFormat);
    return Tool::Argdist;
  }
  throw InputError(path, "the output of \"" + tool +
                             "\", which unstuck report does not read (taint, lifetime, argdist)");
}

ToolFile load_tool_file(const std::string& path) {
  const std::string text = read_whole_file(path);
  if (only_blanks(text)) throw InputError(path, "is empty");
  // JSON starts with an object or array; anything else may be argdist's
  // text report.
  const char first = text[text.find_first_not_of(" \t\r\n")];
  if (first != '{' && first != '[' && looks_like_argdist_text(text)) {
    try {
      return ToolFile{path, Tool::Argdist, parse_argdist_text(path, text)};
    } catch (const std::out_of_range&) {
      throw InputError(path, "an argdist report with a number out of range");
    }
  }
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann's message, without its "[json.exception...] parse error" prefix.
    std::string why = e.what();
    const size_t at = why.find(" at line ");
    throw InputError(path, "is not JSON (" + (at == std::string::npos ? why : why.substr(at + 1)) + ")");
  }
  if (is_argdist_json(json)) json = argdist_json_to_report(path, json);
  const Tool tool = identify_tool(path, json);
  return ToolFile{path, tool, std::move(json)};
}

std::string replay_command(const ToolFile& file, unsigned long long time) {
  std::string command = "unstuck replay ";
  auto trace = file.json.find("trace");
  if (trace != file.json.end() && trace->is_string()) {
    const std::string path = trace->get<std::string>();
    const bool plain = path.find_first_of(" '\"\\$`") == std::string::npos;
    command += (plain ? path : "'" + path + "'") + " ";
  }
  return command + "--goto " + std::to_string(time);
}

const Json& field(const ToolFile& file, const Json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) {
    throw InputError(file.path, std::string("malformed ") + tool_name(file.tool) +
                                    " file: a \"" + name + "\" field is missing");
  }
  return object[name];
}

}  // namespace unstuck::viz
