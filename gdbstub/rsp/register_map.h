// GDB's amd64 register numbers and their values from a VEX guest state.
// The numbering is ours: target_description announces it, in this order,
// with explicit regnum attributes (the layout gdbserver uses for an
// amd64-linux process with AVX and fs_base/gs_base):
//   0-15 rax..r15 (GDB's order: rax rbx rcx rdx rsi rdi rbp rsp r8..r15),
//   16 rip, 17 eflags, 18-23 cs ss ds es fs gs, 24-31 st0-st7,
//   32-39 fctrl fstat ftag fiseg fioff foseg fooff fop, 40-55 xmm0-15,
//   56 mxcsr, 57 orig_rax, 58 fs_base, 59 gs_base, 60-75 ymm0h-ymm15h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

extern "C" {
#include "libvex_guest_amd64.h"
}

namespace unstuck::rsp {

enum class RegisterFeature { Core, Sse, Linux, Segments, Avx };

struct RegisterInfo {
  std::string_view name;
  unsigned bits;
  std::string_view type;   // a type of GDB's target descriptions
  std::string_view group;  // empty: GDB's default for the type
  RegisterFeature feature;
};

// Indexed by GDB register number.
std::span<const RegisterInfo> amd64_registers();

// All register values of one thread, in target byte order (little-endian),
// computed once: the flags from VEX's lazy thunk, the x87 state through an
// FXSAVE image.
class RegisterValues {
 public:
  explicit RegisterValues(const VexGuestAMD64State& state);
  // Empty for a number that is not a register.
  std::span<const uint8_t> value(size_t number) const;
  // The `g` reply: every register in number order, as hex.
  std::string all_as_hex() const;

 private:
  std::vector<uint8_t> bytes_;
  std::vector<size_t> offsets_;  // offsets_[n] .. offsets_[n + 1]
};

}  // namespace unstuck::rsp
