#include "gdbstub/rsp/hex.h"

#include <doctest/doctest.h>

#include "gdbstub/rsp/session.h"

using namespace unstuck::rsp;

TEST_CASE("hex encoding round-trips and rejects bad digits") {
  CHECK(to_hex(std::string_view("\x01\xab\xff", 3)) == "01abff");
  CHECK(from_hex("01abFF") == std::string("\x01\xab\xff", 3));
  CHECK(from_hex("") == std::string());
  CHECK_FALSE(from_hex("abc"));  // odd length
  CHECK_FALSE(from_hex("zz"));
  CHECK(hex_number(0) == "0");
  CHECK(hex_number(0x401000) == "401000");
  CHECK(hex_byte(5) == "05");
  CHECK(hex_byte(0xff) == "ff");
}

TEST_CASE("numbers fill the whole text or are refused") {
  CHECK(parse_hex("ffffffffffffffff") == UINT64_MAX);
  CHECK(parse_hex("1A") == 26);
  CHECK_FALSE(parse_hex(""));
  CHECK_FALSE(parse_hex("10000000000000000"));  // 17 digits
  CHECK_FALSE(parse_hex("12g"));
  CHECK_FALSE(parse_hex("-1"));
  CHECK(parse_decimal("42") == 42);
  CHECK_FALSE(parse_decimal("42x"));
  CHECK_FALSE(parse_decimal(""));
  CHECK_FALSE(parse_decimal("99999999999999999999999"));
}

TEST_CASE("binary data escapes the framing characters") {
  std::string raw = std::string("a#b$c}d*e") + '\0';
  std::string escaped = escape_binary(raw);
  CHECK(escaped == std::string("a}\x03" "b}\x04" "c}]d}\x0a" "e") + '\0');
  CHECK(escaped.find_first_of("#$*") == std::string::npos);
  CHECK(unescape_binary(escaped) == raw);
  CHECK_FALSE(unescape_binary("abc}"));  // ends inside an escape
}

TEST_CASE("address,length pairs") {
  auto pair = parse_address_length("401000,10");
  REQUIRE(pair);
  CHECK(pair->address == 0x401000);
  CHECK(pair->length == 0x10);
  CHECK_FALSE(parse_address_length("401000"));
  CHECK_FALSE(parse_address_length(",4"));
  CHECK_FALSE(parse_address_length("4,"));
  CHECK_FALSE(parse_address_length("x,4"));
}

TEST_CASE("thread ids: any, all, hex and the multiprocess form") {
  CHECK(parse_thread_id("0") == kAnyThread);
  CHECK(parse_thread_id("-1") == kAllThreads);
  CHECK(parse_thread_id("1f") == 0x1f);
  CHECK(parse_thread_id("p2a.3") == 3);
  CHECK(parse_thread_id("p2a.-1") == kAllThreads);
  CHECK(parse_thread_id("p2a") == kAllThreads);
  CHECK_FALSE(parse_thread_id(""));
  CHECK_FALSE(parse_thread_id("zz"));
  CHECK_FALSE(parse_thread_id("ffffffff"));  // would mean "all"
}
