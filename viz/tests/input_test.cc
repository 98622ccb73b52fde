#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "viz/argdist_text.h"
#include "viz/input_error.h"
#include "viz/json_input.h"

namespace unstuck::viz::test {

namespace {

// Writes TEXT to a temporary file and returns its path.
std::string temp_file(const std::string& text) {
  char path[] = "/tmp/report-input-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  std::FILE* f = fdopen(fd, "w");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return path;
}

std::string error_of(const std::string& text) {
  const std::string path = temp_file(text);
  std::string message;
  try {
    load_tool_file(path);
  } catch (const InputError& e) {
    message = e.what();
  }
  std::remove(path.c_str());
  REQUIRE(message.rfind(path + ": ", 0) == 0);  // the message names the file
  return message.substr(path.size() + 2);
}

}  // namespace

TEST_CASE("each tool's file is recognised by its tool and version fields") {
  CHECK(identify_tool("f", Json::parse(R"js({"tool": "taint", "format": 1})js")) == Tool::Taint);
  CHECK(identify_tool("f", Json::parse(R"js({"tool": "lifetime", "lifetimeFileVersion": 1})js")) ==
        Tool::Lifetime);
  CHECK(identify_tool("f", Json::parse(R"js({"tool": "argdist", "unstuckReportFormat": 1})js")) ==
        Tool::Argdist);
}

TEST_CASE("bad input is an error naming the file and the problem") {
  CHECK(error_of("") == "is empty");
  CHECK(error_of("  \n") == "is empty");
  CHECK(error_of("{\"tool\": \"taint\",").rfind("is not JSON", 0) == 0);
  CHECK(error_of("hello") .rfind("is not JSON", 0) == 0);
  CHECK(error_of("[1, 2]") == "JSON, but not the output of an unstuck tool (no \"tool\" field)");
  CHECK(error_of(R"js({"tool": "taint", "format": 2})js") ==
        "taint schema version 2, this report reads version 1");
  CHECK(error_of(R"js({"tool": "taint"})js") == "a taint file without its \"format\" version field");
  CHECK(error_of(R"js({"dhatFileVersion": 2, "tool": "dhat"})js").find("\"dhat\"") != std::string::npos);
}

TEST_CASE("a missing file is an error naming it") {
  CHECK_THROWS_WITH_AS(load_tool_file("/nonexistent/taint.out"),
                       "/nonexistent/taint.out: cannot be read (missing, or no permission)",
                       InputError);
}

TEST_CASE("argdist's text report is read into the report's JSON") {
  const std::string text =
      "==42== argdist, the distributions of call arguments and results\n"
      "==42== Command: ./prog\n"
      "==42== neg in prog (p.c:3)\n"
      "==42==   calls 4, returns 4, unwound 0, unreturned 0, tail calls 0\n"
      "==42== \n"
      "==42==   arg0 x (int): count 4, min -2, max 1, mean -0.5, stddev 1.118033989\n"
      "==42==   first min at time 100, first max at time 200\n"
      "==42==              value  ------------- Distribution ------------- count\n"
      "==42==                 -2 |@@@@@@@@@@@@@@@@@@@@                     2\n"
      "==42==                  0 |@@@@@@@@@@                               1\n"
      "==42==                  1 |@@@@@@@@@@                               1\n";
  REQUIRE(looks_like_argdist_text(text));
  const Json report = parse_argdist_text("t", text);
  CHECK(report["command"] == "./prog");
  REQUIRE(report["functions"].size() == 1);
  const Json& f = report["functions"][0];
  CHECK(f["name"] == "neg in prog (p.c:3)");
  CHECK(f["calls"] == 4);
  const Json& v = f["values"][0];
  CHECK(v["name"] == "arg0 x");
  CHECK(v["type"] == "int");
  CHECK(v["first_max_time"] == 200);
  CHECK(v["histogram"] == Json::parse(R"js([["-2", 2], ["0", 1], ["1", 1]])js"));
  CHECK_THROWS_AS(parse_argdist_text("t", "==1== argdist, the distributions of call arguments\n"),
                  InputError);
}

}  // namespace unstuck::viz::test
