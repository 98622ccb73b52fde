#include "tools/argdist/inflate.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tools/argdist/tests/inflate_vectors.h"

namespace {

using unstuck::argdist::zlib_inflate;

std::string words_text() {
  const char* words[] = {"the", "of",   "and", "to", "in", "is", "was", "that", "for",
                         "it",  "with", "as",  "his", "on", "be", "at", "by",  "had"};
  uint32_t state = 12345;
  std::string text;
  for (int i = 0; i < 600; ++i) {
    state = (state * 1103515245u + 12345u) & 0x7fffffffu;
    if (i > 0) text += ' ';
    text += words[state % 18];
  }
  return text;
}

std::string inflated(const uint8_t* in, size_t in_size, size_t out_size, bool* ok) {
  std::string out(out_size, '\0');
  *ok = zlib_inflate(in, in_size, reinterpret_cast<uint8_t*>(out.data()), out_size);
  return out;
}

}  // namespace

TEST_CASE("inflate: dynamic Huffman blocks") {
  std::string expected = words_text();
  bool ok = false;
  CHECK(inflated(kTextDynamic, sizeof kTextDynamic, expected.size(), &ok) == expected);
  CHECK(ok);
}

TEST_CASE("inflate: stored blocks") {
  std::string expected;
  for (int round = 0; round < 2; ++round)
    for (int b = 0; b < 256; ++b) expected += static_cast<char>(b);
  bool ok = false;
  CHECK(inflated(kBytesStored, sizeof kBytesStored, expected.size(), &ok) == expected);
  CHECK(ok);
}

TEST_CASE("inflate: fixed Huffman codes and back-references") {
  bool ok = false;
  CHECK(inflated(kShortFixed, sizeof kShortFixed, 15, &ok) == "abcabcabcabcabc");
  CHECK(ok);
}

TEST_CASE("inflate: refuses wrong sizes and damaged streams") {
  bool ok = true;
  inflated(kShortFixed, sizeof kShortFixed, 14, &ok);
  CHECK_FALSE(ok);
  inflated(kShortFixed, sizeof kShortFixed, 16, &ok);
  CHECK_FALSE(ok);
  inflated(kTextDynamic, sizeof kTextDynamic / 2, words_text().size(), &ok);
  CHECK_FALSE(ok);
  std::vector<uint8_t> bad(kShortFixed, kShortFixed + sizeof kShortFixed);
  bad[0] = 0x79;  // not deflate
  inflated(bad.data(), bad.size(), 15, &ok);
  CHECK_FALSE(ok);
}
