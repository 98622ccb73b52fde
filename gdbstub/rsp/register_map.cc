#include "gdbstub/rsp/register_map.h"

#include <array>
#include <cstring>

#include "gdbstub/rsp/hex.h"

namespace unstuck::rsp {

namespace {

using F = RegisterFeature;

constexpr RegisterInfo kRegisters[] = {
    {"rax", 64, "int64", "", F::Core},        {"rbx", 64, "int64", "", F::Core},
    {"rcx", 64, "int64", "", F::Core},        {"rdx", 64, "int64", "", F::Core},
    {"rsi", 64, "int64", "", F::Core},        {"rdi", 64, "int64", "", F::Core},
    {"rbp", 64, "data_ptr", "", F::Core},     {"rsp", 64, "data_ptr", "", F::Core},
    {"r8", 64, "int64", "", F::Core},         {"r9", 64, "int64", "", F::Core},
    {"r10", 64, "int64", "", F::Core},        {"r11", 64, "int64", "", F::Core},
    {"r12", 64, "int64", "", F::Core},        {"r13", 64, "int64", "", F::Core},
    {"r14", 64, "int64", "", F::Core},        {"r15", 64, "int64", "", F::Core},
    {"rip", 64, "code_ptr", "", F::Core},     {"eflags", 32, "i386_eflags", "", F::Core},
    {"cs", 32, "int32", "", F::Core},         {"ss", 32, "int32", "", F::Core},
    {"ds", 32, "int32", "", F::Core},         {"es", 32, "int32", "", F::Core},
    {"fs", 32, "int32", "", F::Core},         {"gs", 32, "int32", "", F::Core},
    {"st0", 80, "i387_ext", "", F::Core},     {"st1", 80, "i387_ext", "", F::Core},
    {"st2", 80, "i387_ext", "", F::Core},     {"st3", 80, "i387_ext", "", F::Core},
    {"st4", 80, "i387_ext", "", F::Core},     {"st5", 80, "i387_ext", "", F::Core},
    {"st6", 80, "i387_ext", "", F::Core},     {"st7", 80, "i387_ext", "", F::Core},
    {"fctrl", 32, "int", "float", F::Core},   {"fstat", 32, "int", "float", F::Core},
    {"ftag", 32, "int", "float", F::Core},    {"fiseg", 32, "int", "float", F::Core},
    {"fioff", 32, "int", "float", F::Core},   {"foseg", 32, "int", "float", F::Core},
    {"fooff", 32, "int", "float", F::Core},   {"fop", 32, "int", "float", F::Core},
    {"xmm0", 128, "vec128", "", F::Sse},      {"xmm1", 128, "vec128", "", F::Sse},
    {"xmm2", 128, "vec128", "", F::Sse},      {"xmm3", 128, "vec128", "", F::Sse},
    {"xmm4", 128, "vec128", "", F::Sse},      {"xmm5", 128, "vec128", "", F::Sse},
    {"xmm6", 128, "vec128", "", F::Sse},      {"xmm7", 128, "vec128", "", F::Sse},
    {"xmm8", 128, "vec128", "", F::Sse},      {"xmm9", 128, "vec128", "", F::Sse},
    {"xmm10", 128, "vec128", "", F::Sse},     {"xmm11", 128, "vec128", "", F::Sse},
    {"xmm12", 128, "vec128", "", F::Sse},     {"xmm13", 128, "vec128", "", F::Sse},
    {"xmm14", 128, "vec128", "", F::Sse},     {"xmm15", 128, "vec128", "", F::Sse},
    {"mxcsr", 32, "i386_mxcsr", "vector", F::Sse},
    {"orig_rax", 64, "int", "", F::Linux},
    {"fs_base", 64, "int", "", F::Segments},  {"gs_base", 64, "int", "", F::Segments},
    {"ymm0h", 128, "uint128", "", F::Avx},    {"ymm1h", 128, "uint128", "", F::Avx},
    {"ymm2h", 128, "uint128", "", F::Avx},    {"ymm3h", 128, "uint128", "", F::Avx},
    {"ymm4h", 128, "uint128", "", F::Avx},    {"ymm5h", 128, "uint128", "", F::Avx},
    {"ymm6h", 128, "uint128", "", F::Avx},    {"ymm7h", 128, "uint128", "", F::Avx},
    {"ymm8h", 128, "uint128", "", F::Avx},    {"ymm9h", 128, "uint128", "", F::Avx},
    {"ymm10h", 128, "uint128", "", F::Avx},   {"ymm11h", 128, "uint128", "", F::Avx},
    {"ymm12h", 128, "uint128", "", F::Avx},   {"ymm13h", 128, "uint128", "", F::Avx},
    {"ymm14h", 128, "uint128", "", F::Avx},   {"ymm15h", 128, "uint128", "", F::Avx},
};

static_assert(std::size(kRegisters) == 76, "the numbering in register_map.h");

// Offsets in an FXSAVE image (64-bit layout).
constexpr size_t kFxFcw = 0, kFxFsw = 2, kFxAbridgedTag = 4, kFxFop = 6, kFxFip = 8,
                 kFxFdp = 16, kFxMxcsr = 24, kFxSt0 = 32, kFxStStride = 16;
constexpr size_t kFxsaveSize = 512;

// Flag bits VEX does not keep but every user-space process has: bit 1 is
// reserved as 1, and IF (bit 9) is always set in user mode.
constexpr uint64_t kFixedFlags = 0x2 | 0x200;

// Linux amd64 user-space selectors (__USER_CS, __USER_DS); the data
// segment registers are null in 64-bit processes.  VEX does not model them.
constexpr uint32_t kSegmentSelectors[6] = {0x33, 0x2b, 0, 0, 0, 0};

const ULong* gpr_in_gdb_order(const VexGuestAMD64State& s, size_t n) {
  const ULong* fields[16] = {&s.guest_RAX, &s.guest_RBX, &s.guest_RCX, &s.guest_RDX,
                             &s.guest_RSI, &s.guest_RDI, &s.guest_RBP, &s.guest_RSP,
                             &s.guest_R8,  &s.guest_R9,  &s.guest_R10, &s.guest_R11,
                             &s.guest_R12, &s.guest_R13, &s.guest_R14, &s.guest_R15};
  return fields[n];
}

const UInt* ymm(const VexGuestAMD64State& s, size_t n) {
  // guest_YMM0..15 are consecutive (VEX relies on it for PCMPxSTRx).
  return &s.guest_YMM0[0] + 8 * n;
}

template <typename T>
T load(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

// The x87 tag of one register from its 80-bit contents, as FSTENV writes it:
// 0 valid, 1 zero, 2 special (NaN, infinity, denormal, unnormal).
unsigned x87_tag(const uint8_t* st) {
  uint64_t mantissa = load<uint64_t>(st);
  unsigned exponent = load<uint16_t>(st + 8) & 0x7fff;
  if (exponent == 0x7fff) return 2;
  if (exponent == 0) return mantissa == 0 ? 1 : 2;
  return (mantissa >> 63) ? 0 : 2;
}

// FXSAVE keeps one "not empty" bit per physical register; GDB wants the
// full two-bit tag word.  Physical register p is st((p - top) mod 8).
uint32_t full_tag_word(const uint8_t* fx) {
  unsigned top = (load<uint16_t>(fx + kFxFsw) >> 11) & 7;
  uint8_t abridged = fx[kFxAbridgedTag];
  uint32_t word = 0;
  for (unsigned p = 0; p < 8; ++p) {
    unsigned st = (p - top) & 7;
    unsigned tag = (abridged >> p & 1) ? x87_tag(fx + kFxSt0 + kFxStStride * st) : 3;
    word |= tag << (2 * p);
  }
  return word;
}

class ValueWriter {
 public:
  ValueWriter(std::vector<uint8_t>& bytes, std::vector<size_t>& offsets)
      : bytes_(bytes), offsets_(offsets) {}
  void add(const void* data, size_t size) {
    offsets_.push_back(bytes_.size());
    const auto* p = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + size);
  }
  void add32(uint32_t value) { add(&value, 4); }
  void add64(uint64_t value) { add(&value, 8); }

 private:
  std::vector<uint8_t>& bytes_;
  std::vector<size_t>& offsets_;
};

void add_core(ValueWriter& out, const VexGuestAMD64State& s, const uint8_t* fx) {
  for (size_t n = 0; n < 16; ++n) out.add64(*gpr_in_gdb_order(s, n));
  out.add64(s.guest_RIP);
  out.add32(static_cast<uint32_t>(LibVEX_GuestAMD64_get_rflags(&s) | kFixedFlags));
  for (uint32_t selector : kSegmentSelectors) out.add32(selector);
  for (size_t st = 0; st < 8; ++st) out.add(fx + kFxSt0 + kFxStStride * st, 10);
  out.add32(load<uint16_t>(fx + kFxFcw));
  out.add32(load<uint16_t>(fx + kFxFsw));
  out.add32(full_tag_word(fx));
  out.add32(0);  // fiseg: no segments in 64-bit mode
  out.add32(load<uint32_t>(fx + kFxFip));
  out.add32(0);  // foseg
  out.add32(load<uint32_t>(fx + kFxFdp));
  out.add32(load<uint16_t>(fx + kFxFop) & 0x7ff);
}

void add_sse_and_rest(ValueWriter& out, const VexGuestAMD64State& s, const uint8_t* fx) {
  for (size_t n = 0; n < 16; ++n) out.add(ymm(s, n), 16);
  out.add32(load<uint32_t>(fx + kFxMxcsr));
  out.add64(~uint64_t{0});  // orig_rax -1: not stopped inside a system call
  out.add64(s.guest_FS_CONST);
  out.add64(s.guest_GS_CONST);
  for (size_t n = 0; n < 16; ++n) out.add(ymm(s, n) + 4, 16);
}

}  // namespace

std::span<const RegisterInfo> amd64_registers() { return kRegisters; }

RegisterValues::RegisterValues(const VexGuestAMD64State& state) {
  // LibVEX_GuestAMD64_fxsave takes a non-const state; it only reads it.
  VexGuestAMD64State copy = state;
  alignas(16) std::array<uint8_t, kFxsaveSize> fx{};
  LibVEX_GuestAMD64_fxsave(&copy, reinterpret_cast<HWord>(fx.data()));
  ValueWriter out(bytes_, offsets_);
  add_core(out, state, fx.data());
  add_sse_and_rest(out, state, fx.data());
  offsets_.push_back(bytes_.size());
}

std::span<const uint8_t> RegisterValues::value(size_t number) const {
  if (number + 1 >= offsets_.size()) return {};
  return std::span(bytes_).subspan(offsets_[number], offsets_[number + 1] - offsets_[number]);
}

std::string RegisterValues::all_as_hex() const { return to_hex(bytes_); }

}  // namespace unstuck::rsp
