#include "tools/argdist/text_utils.h"

#include "shared/rt/string_builder.h"

namespace unstuck::argdist {

char* copy_text(const char* text, size_t n) {
  char* copy = new char[n + 1];
  for (size_t i = 0; i < n; ++i) copy[i] = text[i];
  copy[n] = '\0';
  return copy;
}

char* copy_text(const char* text) {
  return text == nullptr ? nullptr : copy_text(text, string_length(text));
}

const char* base_name(const char* path) {
  const char* base = path;
  for (const char* p = path; *p != '\0'; ++p)
    if (*p == '/') base = p + 1;
  return base;
}

}  // namespace unstuck::argdist
