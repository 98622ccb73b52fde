#include "tools/argdist/libc_prototypes.h"

#include "shared/rt/string_builder.h"
#include "tools/argdist/text_utils.h"

namespace unstuck::argdist {
namespace {

// As the manual pages declare them.
constexpr const char* kPrototypes[] = {
    "void *memcpy(void *dest, const void *src, size_t n)",
    "void *memmove(void *dest, const void *src, size_t n)",
    "void *mempcpy(void *dest, const void *src, size_t n)",
    "void *memset(void *s, int c, size_t n)",
    "int memcmp(const void *s1, const void *s2, size_t n)",
    "int bcmp(const void *s1, const void *s2, size_t n)",
    "int memcmpeq(const void *s1, const void *s2, size_t n)",
    "void *memchr(const void *s, int c, size_t n)",
    "void *memrchr(const void *s, int c, size_t n)",
    "void *rawmemchr(const void *s, int c)",
    "size_t strlen(const char *s)",
    "size_t strnlen(const char *s, size_t maxlen)",
    "char *strcpy(char *dest, const char *src)",
    "char *stpcpy(char *dest, const char *src)",
    "char *strncpy(char *dest, const char *src, size_t n)",
    "char *stpncpy(char *dest, const char *src, size_t n)",
    "char *strcat(char *dest, const char *src)",
    "char *strncat(char *dest, const char *src, size_t n)",
    "int strcmp(const char *s1, const char *s2)",
    "int strncmp(const char *s1, const char *s2, size_t n)",
    "int strcasecmp(const char *s1, const char *s2)",
    "int strncasecmp(const char *s1, const char *s2, size_t n)",
    "char *strchr(const char *s, int c)",
    "char *strchrnul(const char *s, int c)",
    "char *strrchr(const char *s, int c)",
    "size_t strspn(const char *s, const char *accept)",
    "size_t strcspn(const char *s, const char *reject)",
    "char *strpbrk(const char *s, const char *accept)",
    "char *strstr(const char *haystack, const char *needle)",
    "size_t wcslen(const wchar_t *s)",
    "size_t wcsnlen(const wchar_t *s, size_t maxlen)",
    "int wcscmp(const wchar_t *s1, const wchar_t *s2)",
    "int wcsncmp(const wchar_t *s1, const wchar_t *s2, size_t n)",
    "wchar_t *wcschr(const wchar_t *s, wchar_t c)",
    "wchar_t *wcsrchr(const wchar_t *s, wchar_t c)",
    "wchar_t *wcscpy(wchar_t *dest, const wchar_t *src)",
    "wchar_t *wmemset(wchar_t *s, wchar_t c, size_t n)",
    "int wmemcmp(const wchar_t *s1, const wchar_t *s2, size_t n)",
    "wchar_t *wmemchr(const wchar_t *s, wchar_t c, size_t n)",
};

struct CType {
  const char* spelling;
  ValueType type;
};

constexpr CType kTypes[] = {
    {"void", {ValueKind::kVoid, 0, "void"}},
    {"void *", {ValueKind::kPointer, 8, "void *"}},
    {"const void *", {ValueKind::kPointer, 8, "const void *"}},
    {"char *", {ValueKind::kString, 8, "char *"}},
    {"const char *", {ValueKind::kString, 8, "const char *"}},
    {"wchar_t *", {ValueKind::kPointer, 8, "wchar_t *"}},
    {"const wchar_t *", {ValueKind::kPointer, 8, "const wchar_t *"}},
    {"size_t", {ValueKind::kUnsigned, 8, "size_t"}},
    {"int", {ValueKind::kSigned, 4, "int"}},
    {"wchar_t", {ValueKind::kSigned, 4, "wchar_t"}},
};

bool equal_span(const char* a, size_t n, const char* b) {
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return b[n] == '\0';
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A declaration's piece "const char *s": the type is everything before the
// trailing identifier, with the '*' that sticks to it.
void split_declarator(const char* begin, const char* end, const char** name,
                      ValueType* type) {
  while (begin < end && *begin == ' ') ++begin;
  const char* name_start = end;
  while (name_start > begin && is_name_char(name_start[-1])) --name_start;
  *name = copy_text(name_start, end - name_start);
  StringBuilder spelling;
  spelling.append(begin, name_start - begin);
  size_t n = spelling.size();
  while (n > 0 && spelling.c_str()[n - 1] == ' ') --n;
  *type = {ValueKind::kOpaque, 0, "?"};
  for (const CType& t : kTypes)
    if (equal_span(spelling.c_str(), n, t.spelling)) *type = t.type;
}

void parse_prototype(const char* text, Signature* s) {
  const char* open = text;
  while (*open != '(') ++open;
  const char* function_name;
  split_declarator(text, open, &function_name, &s->result);
  delete[] function_name;
  s->params.clear();
  Vector<PassingClass> classes;
  for (const char* p = open + 1; *p != ')';) {
    const char* end = p;
    while (*end != ',' && *end != ')') ++end;
    Parameter param;
    split_declarator(p, end, &param.name, &param.type);
    s->params.push_back(param);
    classes.push_back(scalar_class(param.type));
    p = *end == ',' ? end + 1 : end;
  }
  s->origin = SignatureOrigin::kBuiltin;
  s->variadic = false;
  place_arguments(s, classes, false);
}

// "memcpy" for "memcpy", "__memmove_avx_unaligned_erms" and "__memcmpeq".
bool same_function(const char* prototype, const char* name) {
  const char* open = prototype;
  while (*open != '(') ++open;
  const char* start = open;
  while (start > prototype && is_name_char(start[-1])) --start;
  size_t n = open - start;
  if (name[0] == '_' && name[1] == '_') {
    name += 2;
    size_t length = 0;
    while (name[length] != '\0' && name[length] != '_') ++length;
    if (length != n) return false;
    for (size_t i = 0; i < n; ++i)
      if (start[i] != name[i]) return false;
    return true;
  }
  return equal_span(start, n, name);
}

}  // namespace

bool libc_prototype(const char* name, Signature* signature) {
  for (const char* prototype : kPrototypes) {
    if (!same_function(prototype, name)) continue;
    parse_prototype(prototype, signature);
    return true;
  }
  return false;
}

bool is_glibc_object(const char* soname, const char* path) {
  const char* name = soname != nullptr ? soname : base_name(path);
  static const char* const kPrefixes[] = {"libc.so", "ld-linux"};
  for (const char* prefix : kPrefixes) {
    size_t i = 0;
    while (prefix[i] != '\0' && name[i] == prefix[i]) ++i;
    if (prefix[i] == '\0') return true;
  }
  return false;
}

}  // namespace unstuck::argdist
