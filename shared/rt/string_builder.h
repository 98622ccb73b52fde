// Builds text without libc: JSON output, messages, file names.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "shared/rt/vector.h"

namespace unstuck {

class StringBuilder {
 public:
  StringBuilder() { clear(); }

  StringBuilder& append(const char* text);
  StringBuilder& append(const char* text, size_t n);
  StringBuilder& append(char c);
  StringBuilder& append_unsigned(uint64_t value);
  StringBuilder& append_signed(int64_t value);
  StringBuilder& append_hex(uint64_t value, int min_digits = 1);
  // Adds `text` as a JSON string literal, quotes included.
  StringBuilder& append_json_string(const char* text);

  // Always NUL-terminated.
  const char* c_str() const { return chars_.data(); }
  size_t size() const { return chars_.size() - 1; }
  void clear();
  // Keeps the first `length` characters (length <= size()).
  void truncate(size_t length);

 private:
  Vector<char> chars_;  // the text plus a terminating NUL
};

size_t string_length(const char* text);
bool strings_equal(const char* a, const char* b);

}  // namespace unstuck
