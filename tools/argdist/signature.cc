#include "tools/argdist/signature.h"

#include "shared/rt/string_builder.h"
#include "tools/argdist/text_utils.h"

namespace unstuck::argdist {
namespace {

constexpr unsigned kIntRegisters = 6;  // rdi rsi rdx rcx r8 r9
constexpr unsigned kSseRegisters = 8;  // xmm0-7

// Names of positional arguments: "arg0", "arg1", ...; made once, kept for
// the run.
const char* positional_name(unsigned index) {
  static Vector<const char*>* names = nullptr;
  if (names == nullptr) names = new Vector<const char*>();
  while (names->size() <= index) {
    StringBuilder text;
    text.append("arg").append_unsigned(names->size());
    names->push_back(copy_text(text.c_str(), text.size()));
  }
  return (*names)[index];
}

struct Registers {
  unsigned integer = 0;
  unsigned sse = 0;
  uint32_t stack = 0;
};

unsigned count_class(const PassingClass& c, EightbyteClass which) {
  unsigned n = 0;
  for (unsigned i = 0; i < c.eightbytes; ++i) n += c.classes[i] == which;
  return n;
}

// The ABI's rule: an argument goes in registers only if all its
// eightbytes fit; otherwise the whole argument goes on the stack.
ValueSource place_one(const PassingClass& c, Registers* used) {
  ValueSource source = {Where::kStack, 0, used->stack};
  if (c.stack_slots != 0) {
    used->stack += c.stack_slots;
    return source;
  }
  unsigned ints = count_class(c, EightbyteClass::kInteger);
  unsigned sses = count_class(c, EightbyteClass::kSse);
  if (used->integer + ints > kIntRegisters || used->sse + sses > kSseRegisters) {
    used->stack += c.eightbytes;
    return source;
  }
  if (c.classes[0] == EightbyteClass::kInteger)
    source = {Where::kIntRegister, static_cast<uint8_t>(used->integer), 0};
  else
    source = {Where::kSseRegister, static_cast<uint8_t>(used->sse), 0};
  used->integer += ints;
  used->sse += sses;
  return source;
}

struct TypeWord {
  const char* word;
  ValueType type;
};

constexpr TypeWord kTypeWords[] = {
    {"i8", {ValueKind::kSigned, 1, "int8_t"}},
    {"i16", {ValueKind::kSigned, 2, "int16_t"}},
    {"i32", {ValueKind::kSigned, 4, "int32_t"}},
    {"i64", {ValueKind::kSigned, 8, "int64_t"}},
    {"u8", {ValueKind::kUnsigned, 1, "uint8_t"}},
    {"u16", {ValueKind::kUnsigned, 2, "uint16_t"}},
    {"u32", {ValueKind::kUnsigned, 4, "uint32_t"}},
    {"u64", {ValueKind::kUnsigned, 8, "uint64_t"}},
    {"ptr", {ValueKind::kPointer, 8, "void *"}},
    {"str", {ValueKind::kString, 8, "char *"}},
    {"f32", {ValueKind::kFloat, 4, "float"}},
    {"f64", {ValueKind::kFloat, 8, "double"}},
    {"void", {ValueKind::kVoid, 0, "void"}},
};

bool word_equals(const char* word, const char* text, size_t n) {
  size_t i = 0;
  for (; i < n; ++i)
    if (word[i] != text[i]) return false;
  return word[i] == '\0';
}

// Looks up the type word text[0..n).
bool find_type(const char* text, size_t n, ValueType* type) {
  for (const TypeWord& w : kTypeWords) {
    if (word_equals(w.word, text, n)) {
      *type = w.type;
      return true;
    }
  }
  return false;
}

}  // namespace

PassingClass scalar_class(const ValueType& type) {
  PassingClass c = {1, {EightbyteClass::kInteger, EightbyteClass::kInteger}, 0};
  if (type.kind == ValueKind::kFloat) c.classes[0] = EightbyteClass::kSse;
  return c;
}

void place_arguments(Signature* signature, const Vector<PassingClass>& classes,
                     bool hidden_result_pointer) {
  Registers used;
  if (hidden_result_pointer) used.integer = 1;
  for (size_t i = 0; i < signature->params.size(); ++i)
    signature->params[i].source = place_one(classes[i], &used);
  ValueKind result = signature->result.kind;
  if (result == ValueKind::kVoid || result == ValueKind::kOpaque)
    signature->result_source = {Where::kNowhere, 0, 0};
  else if (result == ValueKind::kFloat)
    signature->result_source = {Where::kSseRegister, 0, 0};
  else
    signature->result_source = {Where::kIntRegister, 0, 0};
}

void make_default_signature(Signature* signature, unsigned count) {
  const ValueType int64 = {ValueKind::kSigned, 8, "int64_t"};
  signature->params.clear();
  Vector<PassingClass> classes;
  for (unsigned i = 0; i < count; ++i) {
    signature->params.push_back({positional_name(i), int64, {}});
    classes.push_back(scalar_class(int64));
  }
  signature->result = int64;
  signature->origin = SignatureOrigin::kDefault;
  signature->variadic = false;
  place_arguments(signature, classes, false);
}

bool parse_type_list(const char* text, Signature* signature,
                     const char** error) {
  signature->params.clear();
  signature->result = {ValueKind::kVoid, 0, "void"};
  signature->origin = SignatureOrigin::kUser;
  signature->variadic = false;
  Vector<PassingClass> classes;
  const char* p = text;
  // The parameters: words separated by commas, up to "->" or the end.
  while (*p != '\0' && !(p[0] == '-' && p[1] == '>')) {
    const char* start = p;
    while (*p != '\0' && *p != ',' && !(p[0] == '-' && p[1] == '>')) ++p;
    ValueType type;
    if (!find_type(start, p - start, &type) || type.kind == ValueKind::kVoid) {
      *error = start;
      return false;
    }
    signature->params.push_back(
        {positional_name(signature->params.size()), type, {}});
    classes.push_back(scalar_class(type));
    if (*p == ',') ++p;
  }
  // The result, if given.
  if (*p == '-') {
    p += 2;
    size_t n = 0;
    while (p[n] != '\0') ++n;
    if (!find_type(p, n, &signature->result)) {
      *error = p;
      return false;
    }
  }
  place_arguments(signature, classes, false);
  return true;
}

}  // namespace unstuck::argdist
