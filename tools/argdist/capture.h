// Reading argument and result values from the guest state, as the System V
// amd64 ABI places them, and normalising them for aggregation.  Inline:
// every traced value passes through here.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"
#include "tools/argdist/signature.h"

namespace unstuck::argdist {

// The guest's 8-byte word at `address`, if readable client memory.
bool read_guest_word(Addr address, uint64_t* word);

// The low 64 bits of xmm`index`.
inline uint64_t sse_register(const VexGuestAMD64State* s, unsigned index) {
  const U256* ymm = &s->guest_YMM0 + index;
  return static_cast<uint64_t>((*ymm)[0]) | static_cast<uint64_t>((*ymm)[1]) << 32;
}

inline uint64_t integer_argument_register(const VexGuestAMD64State* s, unsigned index) {
  switch (index) {
    case 0: return s->guest_RDI;
    case 1: return s->guest_RSI;
    case 2: return s->guest_RDX;
    case 3: return s->guest_RCX;
    case 4: return s->guest_R8;
    default: return s->guest_R9;
  }
}

// The argument registers at a function's entry: rdi, rsi, rdx, rcx, r8,
// r9, and the low halves of xmm0 on (as many as the signature uses), read
// from the guest state or from the call log (call_log.h).
struct ArgumentRegisters {
  const uint64_t* integer;
  const uint64_t* sse;
};

// The registers a result can be in, just after the return.
struct ResultRegisters {
  uint64_t rax;
  uint64_t xmm0;  // the low half
};

// The raw 64 bits of an argument at function entry (`entry_sp` points at
// the return address).  False when a stack argument is not readable (read
// now: only the slow path, which runs at the entry, takes stack arguments).
inline bool read_argument(const ArgumentRegisters& registers, const ValueSource& source,
                          Addr entry_sp, uint64_t* raw) {
  switch (source.where) {
    case Where::kIntRegister:
      *raw = registers.integer[source.index];
      return true;
    case Where::kSseRegister:
      *raw = registers.sse[source.index];
      return true;
    case Where::kStack:
      return read_guest_word(entry_sp + 8 + 8 * static_cast<Addr>(source.stack_index), raw);
    case Where::kNowhere:
      break;
  }
  return false;
}

// The value in aggregation form: integers sign- or zero-extended from
// their size (the ABI leaves the upper bits of a narrow argument
// undefined), a float widened to a double, a double as is.
inline uint64_t normalize(uint64_t raw, const ValueType& type) {
  if (type.kind == ValueKind::kFloat) {
    if (type.size != 4) return raw;
    float f = __builtin_bit_cast(float, static_cast<uint32_t>(raw));
    return __builtin_bit_cast(uint64_t, static_cast<double>(f));
  }
  if (type.size >= 8) return raw;
  unsigned shift = 64 - 8 * type.size;
  if (type.kind == ValueKind::kSigned)
    return static_cast<uint64_t>(static_cast<int64_t>(raw << shift) >> shift);
  return raw << shift >> shift;
}

}  // namespace unstuck::argdist
