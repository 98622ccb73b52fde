// What a traced function takes and returns, and where each value is at the
// function's entry and exit under the System V amd64 ABI.
//
// A signature comes from DWARF (dwarf_signatures.h), from the user
// (--signature=NAME:TYPES), or is the default of --args=N 64-bit signed
// integers with a 64-bit signed integer result.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"

namespace unstuck::argdist {

// How a value is compared, bucketed, classified and printed.
enum class ValueKind : uint8_t {
  kSigned,    // integers and enums: sign-extended from `size` bytes
  kUnsigned,  // unsigned integers, bool: zero-extended from `size` bytes
  kPointer,   // an address: unsigned, and classified by what it points to
  kString,    // a pointer to char: a pointer, and its text with --strings
  kFloat,     // float (size 4) or double (size 8), as a double
  kOpaque,    // passed by value but not a scalar (a struct, a long
              // double): counted, not aggregated
  kVoid,      // nothing (a void function's result)
};

struct ValueType {
  ValueKind kind;
  uint8_t size;      // bytes that carry the value
  const char* name;  // as the source spells it ("const char *")
};

// The ABI classes of an argument's eightbytes (at most two travel in
// registers); an argument the ABI passes in memory uses `stack_slots`
// eightbytes of the caller's stack instead.
enum class EightbyteClass : uint8_t { kInteger, kSse };
struct PassingClass {
  uint8_t eightbytes;          // 1 or 2 when passed in registers
  EightbyteClass classes[2];
  uint32_t stack_slots;        // non-zero: passed in memory
};

// Where a value is: the integer argument registers in ABI order (rdi, rsi,
// rdx, rcx, r8, r9; rax for results), xmm registers, or eightbyte `index`
// of the stack arguments (the first is just above the return address).
enum class Where : uint8_t { kIntRegister, kSseRegister, kStack, kNowhere };
struct ValueSource {
  Where where;
  uint8_t index;   // register number (for kStack: see stack_index)
  uint32_t stack_index;
};

struct Parameter {
  const char* name;  // "arg0" ... when the signature has no names
  ValueType type;
  ValueSource source;
};

// Where a signature came from: DWARF, --signature, argdist's own table of
// glibc's assembly functions (libc_prototypes.h), or --args.
enum class SignatureOrigin : uint8_t { kDwarf, kUser, kBuiltin, kDefault };

struct Signature {
  Vector<Parameter> params;
  ValueType result;
  ValueSource result_source;
  SignatureOrigin origin;
  bool variadic;  // "..." after the named parameters
};

// Builds a signature's sources: `classes[i]` says how params[i] travels;
// `hidden_result_pointer` when the result is returned in memory (the
// caller passes its address in rdi and gets it back in rax).
void place_arguments(Signature* signature, const Vector<PassingClass>& classes,
                     bool hidden_result_pointer);

// The passing class of a scalar of `type`.
PassingClass scalar_class(const ValueType& type);

// --args=N: N signed 64-bit integers, a signed 64-bit result.
void make_default_signature(Signature* signature, unsigned count);

// --signature=NAME:T1,T2,...[->R]: types are i8 i16 i32 i64 u8 u16 u32 u64
// ptr str f32 f64 (and void for R).  Returns false on a bad type list,
// with `error` naming the bad part.
bool parse_type_list(const char* text, Signature* signature,
                     const char** error);

inline bool is_aggregated(ValueKind kind) {
  return kind != ValueKind::kOpaque && kind != ValueKind::kVoid;
}
// Whether a call's result has a value to aggregate (somewhere to read it
// from, and a kind that is aggregated).
inline bool result_is_aggregated(const Signature& signature) {
  return signature.result_source.where != Where::kNowhere && is_aggregated(signature.result.kind);
}
inline bool is_pointer(ValueKind kind) {
  return kind == ValueKind::kPointer || kind == ValueKind::kString;
}

}  // namespace unstuck::argdist
