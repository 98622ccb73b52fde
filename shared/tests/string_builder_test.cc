#include "shared/rt/string_builder.h"

#include <doctest/doctest.h>

#include <climits>
#include <string>

TEST_CASE("string builder formats numbers") {
  unstuck::StringBuilder s;
  s.append("n=").append_unsigned(0).append(' ').append_unsigned(UINT64_MAX);
  s.append(' ').append_signed(INT64_MIN).append(' ').append_signed(-5);
  s.append(' ').append_hex(0xbeef).append(' ').append_hex(0x1f, 4);
  CHECK(std::string(s.c_str()) ==
        "n=0 18446744073709551615 -9223372036854775808 -5 beef 001f");
  CHECK(s.size() == std::string(s.c_str()).size());
}

TEST_CASE("string builder escapes JSON strings") {
  unstuck::StringBuilder s;
  s.append_json_string("a\"b\\c\nd\x01");
  CHECK(std::string(s.c_str()) == "\"a\\\"b\\\\c\\nd\\u0001\"");
  s.clear();
  CHECK(s.size() == 0);
  CHECK(std::string(s.c_str()).empty());
}

TEST_CASE("string helpers") {
  CHECK(unstuck::string_length("") == 0);
  CHECK(unstuck::string_length("abc") == 3);
  CHECK(unstuck::strings_equal("abc", "abc"));
  CHECK_FALSE(unstuck::strings_equal("abc", "abd"));
  CHECK_FALSE(unstuck::strings_equal("ab", "abc"));
}

TEST_CASE("string builder: truncate keeps a prefix, still terminated") {
  unstuck::StringBuilder s;
  s.append("/work/main/regtest");
  s.truncate(10);
  CHECK(std::string(s.c_str()) == "/work/main");
  CHECK(s.size() == 10);
  s.append("/x");
  CHECK(std::string(s.c_str()) == "/work/main/x");
  s.truncate(0);
  CHECK(std::string(s.c_str()).empty());
}
