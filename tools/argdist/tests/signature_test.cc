#include "tools/argdist/signature.h"

#include <doctest/doctest.h>

#include <string>

#include "tools/argdist/libc_prototypes.h"
#include "tools/argdist/value_text.h"

using unstuck::StringBuilder;
using unstuck::Vector;
using namespace unstuck::argdist;

TEST_CASE("signature: integers and floats take their own registers, then the stack") {
  Signature s;
  const char* error = nullptr;
  REQUIRE(parse_type_list("i32,f64,i64,f32,i8,ptr,u64,u16,str,f64,i64->f64", &s, &error));
  REQUIRE(s.params.size() == 11);
  auto where = [&](size_t i) { return s.params[i].source; };
  CHECK(where(0).where == Where::kIntRegister);
  CHECK(where(0).index == 0);  // rdi
  CHECK(where(1).where == Where::kSseRegister);
  CHECK(where(1).index == 0);  // xmm0
  CHECK(where(2).index == 1);  // rsi
  CHECK(where(3).index == 1);  // xmm1
  CHECK(where(7).index == 5);  // r9
  CHECK(where(8).where == Where::kStack);
  CHECK(where(8).stack_index == 0);
  CHECK(where(9).where == Where::kSseRegister);
  CHECK(where(9).index == 2);
  CHECK(where(10).where == Where::kStack);
  CHECK(where(10).stack_index == 1);
  CHECK(s.result_source.where == Where::kSseRegister);
}

TEST_CASE("signature: an aggregate that does not fit goes whole to the stack") {
  Signature s;
  const ValueType word = {ValueKind::kSigned, 8, "long"};
  Vector<PassingClass> classes;
  for (int i = 0; i < 5; ++i) {
    s.params.push_back({"x", word, {}});
    classes.push_back(scalar_class(word));
  }
  s.params.push_back({"pair", {ValueKind::kOpaque, 16, "struct pair"}, {}});
  classes.push_back({2, {EightbyteClass::kInteger, EightbyteClass::kInteger}, 0});
  s.params.push_back({"last", word, {}});
  classes.push_back(scalar_class(word));
  s.result = word;
  place_arguments(&s, classes, false);
  CHECK(s.params[5].source.where == Where::kStack);  // needs 2, 1 left
  CHECK(s.params[6].source.where == Where::kIntRegister);
  CHECK(s.params[6].source.index == 5);  // r9 still free
}

TEST_CASE("signature: a hidden result pointer takes rdi") {
  Signature s;
  const ValueType word = {ValueKind::kSigned, 4, "int"};
  Vector<PassingClass> classes;
  s.params.push_back({"seed", word, {}});
  classes.push_back(scalar_class(word));
  s.result = {ValueKind::kOpaque, 32, "struct big"};
  place_arguments(&s, classes, true);
  CHECK(s.params[0].source.index == 1);  // rsi
  CHECK(s.result_source.where == Where::kNowhere);
}

TEST_CASE("signature: bad type lists are refused") {
  Signature s;
  const char* error = nullptr;
  CHECK_FALSE(parse_type_list("i32,nope", &s, &error));
  CHECK(std::string(error) == "nope");
  CHECK_FALSE(parse_type_list("void", &s, &error));
  CHECK(parse_type_list("", &s, &error));
  CHECK(s.params.empty());
}

TEST_CASE("libc prototypes: names, implementations, types") {
  Signature s;
  REQUIRE(libc_prototype("memcpy", &s));
  REQUIRE(s.params.size() == 3);
  CHECK(std::string(s.params[1].name) == "src");
  CHECK(s.params[1].type.kind == ValueKind::kPointer);
  CHECK(s.params[2].type.kind == ValueKind::kUnsigned);
  CHECK(s.result.kind == ValueKind::kPointer);
  REQUIRE(libc_prototype("__strlen_avx2", &s));
  CHECK(s.params[0].type.kind == ValueKind::kString);
  CHECK(std::string(s.params[0].type.name) == "const char *");
  REQUIRE(libc_prototype("__memmove_avx_unaligned_erms", &s));
  CHECK(std::string(s.params[0].name) == "dest");
  CHECK_FALSE(libc_prototype("malloc", &s));
  CHECK_FALSE(libc_prototype("__strlenx", &s));
  CHECK(is_glibc_object("libc.so.6", "/lib/libc.so.6"));
  CHECK(is_glibc_object(nullptr, "/lib64/ld-linux-x86-64.so.2"));
  CHECK_FALSE(is_glibc_object("libm.so.6", "/lib/libm.so.6"));
}

TEST_CASE("value text: doubles in short form") {
  auto text = [](double d) {
    StringBuilder s;
    append_double(&s, d);
    return std::string(s.c_str());
  };
  CHECK(text(0) == "0");
  CHECK(text(-2.5) == "-2.5");
  CHECK(text(1024) == "1024");
  CHECK(text(0.1) == "0.1");
  CHECK(text(1.0 / 3) == "0.3333333333");
  CHECK(text(1.5e-7) == "1.5e-07");
  CHECK(text(9.223372036854775808e18) == "9.223372037e+18");
  CHECK(text(2.0 / 3) == "0.6666666667");
  StringBuilder g;
  append_grouped(&g, 1234567);
  CHECK(std::string(g.c_str()) == "1,234,567");
}
