#include "shared/rt/string_builder.h"

#include "shared/rt/check.h"

namespace unstuck {

size_t string_length(const char* text) {
  size_t n = 0;
  while (text[n] != '\0') ++n;
  return n;
}

bool strings_equal(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

void StringBuilder::clear() {
  chars_.clear();
  chars_.push_back('\0');
}

void StringBuilder::truncate(size_t length) {
  UNSTUCK_CHECK(length <= size());
  chars_.resize(length + 1);
  chars_[length] = '\0';
}

StringBuilder& StringBuilder::append(const char* text, size_t n) {
  chars_.pop_back();
  // Geometric growth: reserving just what is needed would copy the whole
  // text at every append.
  const size_t needed = chars_.size() + n + 1;
  if (needed > chars_.capacity())
    chars_.reserve(needed > 2 * chars_.capacity() ? needed : 2 * chars_.capacity());
  for (size_t i = 0; i < n; ++i) chars_.push_back(text[i]);
  chars_.push_back('\0');
  return *this;
}

StringBuilder& StringBuilder::append(const char* text) {
  return append(text, string_length(text));
}

StringBuilder& StringBuilder::append(char c) { return append(&c, 1); }

StringBuilder& StringBuilder::append_unsigned(uint64_t value) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) append(digits[--n]);
  return *this;
}

StringBuilder& StringBuilder::append_signed(int64_t value) {
  if (value >= 0) return append_unsigned(static_cast<uint64_t>(value));
  append('-');
  // Negate in unsigned arithmetic so that INT64_MIN works.
  return append_unsigned(0 - static_cast<uint64_t>(value));
}

StringBuilder& StringBuilder::append_hex(uint64_t value, int min_digits) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[value & 15];
    value >>= 4;
  } while (value != 0);
  while (n < min_digits && n < 16) digits[n++] = '0';
  while (n > 0) append(digits[--n]);
  return *this;
}

StringBuilder& StringBuilder::append_json_string(const char* text) {
  append('"');
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(text);
       *p != '\0'; ++p) {
    switch (*p) {
      case '"': append("\\\""); break;
      case '\\': append("\\\\"); break;
      case '\n': append("\\n"); break;
      case '\r': append("\\r"); break;
      case '\t': append("\\t"); break;
      default:
        if (*p < 0x20) {
          append("\\u");
          append_hex(*p, 4);
        } else {
          append(static_cast<char>(*p));
        }
    }
  }
  return append('"');
}

}  // namespace unstuck
