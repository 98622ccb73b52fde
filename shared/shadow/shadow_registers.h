// Shadow registers: where the shadow of each guest register byte lives.
//
// Valgrind keeps, beside each thread's guest state (VexGuestAMD64State, S
// bytes), two shadow areas of the same size: shadow area k starts at
// guest-state offset k * S, so IR reaches it with IRExpr_Get / IRStmt_Put
// at offset + k * S (VG_(get_shadow_regs_area) reads it from C++).  That is
// one or two shadow bytes per guest byte: a 32-bit element per guest byte
// does not fit.
//
// The scheme, for a tool whose shadow element is E bytes (1, 2, 4 or 8):
// the guest state is cut into E-byte granules, aligned to E, and the
// element shadowing granule [g, g + E) is stored in shadow area k at the
// same offset, k * S + g.  So
//   * the shadow of a granule-aligned guest range is the same range of the
//     shadow area: an 8-byte register with E = 4 has its two elements in the
//     8 bytes at k * S + offset, fetched by one Ity_I64 Get (element i in
//     bits [32 i, 32 i + 32));
//   * with E = 1 every guest byte has its own element (memcheck's scheme);
//     with E = 4 (taint label ids) each 32-bit half of a register has one;
//   * an access smaller than a granule (AL, AH, a flag byte) shares its
//     granule's element: reading it reads that element, and writing it must
//     merge with the element's old value (the access does not cover the
//     rest of the granule), which span().covers_exactly tells the tool.
// The amd64 registers are aligned to their size (YMM registers to 32) and
// S is a multiple of 16, so a granule never spans two registers; only
// narrower fields share one: the eight byte-sized x87 tags, and 4-byte
// fields (FTOP, EMNOTE) with the padding beside them when E = 8.
//
// Area 1 or 2 is the tool's choice; a tool may keep two element types, one
// per area.  The IR side (Get/Put/GetI construction, thread-state access)
// is in shadow_registers_ir.h, for tools only.
#pragma once

#include <stdint.h>

namespace unstuck::shadow {

// sizeof(VexGuestAMD64State) in Valgrind 3.19; shadow_registers_ir.cc
// checks it against the header at compile time.
inline constexpr int32_t kAmd64GuestStateBytes = 928;

// The shadow elements covering a guest access.
struct RegisterSpan {
  int32_t shadow_offset;  // guest-state offset of the first element (IR)
  int32_t area_offset;    // the same within the shadow area (thread state)
  int32_t bytes;          // shadow bytes: elements * element size
  int32_t elements;
  bool covers_exactly;    // the access is exactly these granules
};

class RegisterShadowLayout {
 public:
  constexpr RegisterShadowLayout(int32_t guest_state_bytes,
                                 int32_t element_bytes, int32_t area)
      : guest_state_bytes_(guest_state_bytes),
        element_bytes_(element_bytes),
        area_(area) {}

  int32_t element_bytes() const { return element_bytes_; }
  int32_t area() const { return area_; }
  int32_t guest_state_bytes() const { return guest_state_bytes_; }

  // The guest-state offset of the element shadowing guest byte `offset`.
  int32_t element_offset(int32_t guest_offset) const;
  // The elements shadowing guest bytes [offset, offset + size).
  RegisterSpan span(int32_t guest_offset, int32_t size) const;
  // Whether the layout is usable: element size 1/2/4/8, area 1/2, and a
  // guest state made of whole granules.
  bool valid() const;

 private:
  int32_t guest_state_bytes_;
  int32_t element_bytes_;
  int32_t area_;
};

// The layout for amd64 guests with elements of `element_bytes` in `area`.
constexpr RegisterShadowLayout amd64_register_shadow(int32_t element_bytes,
                                                     int32_t area = 1) {
  return RegisterShadowLayout(kAmd64GuestStateBytes, element_bytes, area);
}

}  // namespace unstuck::shadow
