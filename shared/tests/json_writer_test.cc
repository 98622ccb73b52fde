#include "shared/output/json_writer.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

using unstuck::JsonWriter;
using unstuck::StringBuilder;

TEST_CASE("json writer indents objects and keeps inline containers on one line") {
  StringBuilder text;
  JsonWriter json(text);
  json.begin_object();
  json.field("name", "in\"put").field("count", uint64_t{3}).field("ok", true);
  json.key("ranges").begin_array(JsonWriter::kInline);
  json.begin_array().number(16).number(20).end_array();
  json.begin_array().number(24).number(30).end_array();
  json.end_array();
  json.key("empty").begin_array().end_array();
  json.key("items").begin_array();
  json.begin_object(JsonWriter::kInline).hex_field("address", 0x4011d6).end_object();
  json.null().signed_number(-2);
  json.end_array();
  json.end_object();
  CHECK(json.complete());
  CHECK(std::string(text.c_str()) ==
        "{\n"
        "  \"name\": \"in\\\"put\",\n"
        "  \"count\": 3,\n"
        "  \"ok\": true,\n"
        "  \"ranges\": [[16, 20], [24, 30]],\n"
        "  \"empty\": [],\n"
        "  \"items\": [\n"
        "    {\"address\": \"0x4011d6\"},\n"
        "    null,\n"
        "    -2\n"
        "  ]\n"
        "}\n");
}

TEST_CASE("json writer: a null string is null, and incomplete output says so") {
  StringBuilder text;
  JsonWriter json(text);
  CHECK_FALSE(json.complete());
  json.begin_array(JsonWriter::kInline).string(nullptr).boolean(false);
  CHECK_FALSE(json.complete());
  json.end_array();
  CHECK(json.complete());
  CHECK(std::string(text.c_str()) == "[null, false]\n");
}

TEST_CASE("write_text_file writes the text") {
  StringBuilder text;
  text.append("{}\n");
  std::string path = "/tmp/unstuck-json-test-" + std::to_string(getpid()) + ".json";
  CHECK(unstuck::write_text_file(path.c_str(), text) == 0);
  std::ifstream in(path);
  std::stringstream got;
  got << in.rdbuf();
  CHECK(got.str() == "{}\n");
  std::remove(path.c_str());
  CHECK(unstuck::write_text_file("/nonexistent-dir/x.json", text) < 0);
}

TEST_CASE("json writer: a formatted number goes in as it is, with separators") {
  StringBuilder text;
  JsonWriter json(text);
  json.begin_array(JsonWriter::kInline).formatted_number("0.25").formatted_number("-1.5e-07");
  json.end_array();
  CHECK(json.complete());
  CHECK(std::string(text.c_str()) == "[0.25, -1.5e-07]\n");
}
