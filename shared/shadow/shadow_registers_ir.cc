#include "shared/shadow/shadow_registers_ir.h"

#include "shared/rt/check.h"

namespace unstuck::shadow {

static_assert(sizeof(VexGuestAMD64State) == kAmd64GuestStateBytes,
              "kAmd64GuestStateBytes must match this Valgrind's guest state");
static_assert(sizeof(VexGuestAMD64State) % 16 == 0,
              "shadow areas are laid out back to back");

RegisterShadowLayout guest_register_shadow(int32_t element_bytes,
                                           int32_t area) {
  RegisterShadowLayout layout(static_cast<int32_t>(sizeof(VexGuestAMD64State)),
                              element_bytes, area);
  UNSTUCK_CHECK(layout.valid());
  return layout;
}

IRType register_shadow_type(int32_t bytes) {
  switch (bytes) {
    case 1: return Ity_I8;
    case 2: return Ity_I16;
    case 4: return Ity_I32;
    case 8: return Ity_I64;
    case 16: return Ity_V128;
    case 32: return Ity_V256;
    default: UNSTUCK_UNREACHABLE("no IR type for this many shadow bytes");
  }
}

IRExpr* get_register_shadow(const RegisterShadowLayout& layout,
                            int32_t guest_offset, int32_t size) {
  RegisterSpan span = layout.span(guest_offset, size);
  return IRExpr_Get(span.shadow_offset, register_shadow_type(span.bytes));
}

IRStmt* put_register_shadow(const RegisterShadowLayout& layout,
                            int32_t guest_offset, int32_t size,
                            IRExpr* elements) {
  RegisterSpan span = layout.span(guest_offset, size);
  return IRStmt_Put(span.shadow_offset, elements);
}

IRRegArray* shadow_register_array(const RegisterShadowLayout& layout,
                                  const IRRegArray* guest) {
  int32_t element_bytes = sizeofIRType(guest->elemTy);
  if (element_bytes % layout.element_bytes() != 0 ||
      guest->base % layout.element_bytes() != 0)
    return nullptr;
  RegisterSpan span = layout.span(guest->base, element_bytes * guest->nElems);
  return mkIRRegArray(span.shadow_offset, guest->elemTy, guest->nElems);
}

uint64_t read_register_element(ThreadId tid, const RegisterShadowLayout& layout,
                               int32_t guest_offset) {
  RegisterSpan span = layout.span(guest_offset, 1);
  uint64_t value = 0;  // little-endian: the element lands in the low bytes
  VG_(get_shadow_regs_area)(tid, reinterpret_cast<UChar*>(&value),
                            layout.area(), span.area_offset, span.bytes);
  return value;
}

void write_register_elements(ThreadId tid, const RegisterShadowLayout& layout,
                             int32_t guest_offset, int32_t size,
                             uint64_t value) {
  RegisterSpan span = layout.span(guest_offset, size);
  for (int32_t i = 0; i < span.elements; ++i) {
    VG_(set_shadow_regs_area)(tid, layout.area(),
                              span.area_offset + i * layout.element_bytes(),
                              layout.element_bytes(),
                              reinterpret_cast<const UChar*>(&value));
  }
}

}  // namespace unstuck::shadow
