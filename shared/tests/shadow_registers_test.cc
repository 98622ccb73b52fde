#include "shared/shadow/shadow_registers.h"

#include <doctest/doctest.h>

namespace {

using unstuck::shadow::amd64_register_shadow;
using unstuck::shadow::kAmd64GuestStateBytes;
using unstuck::shadow::RegisterShadowLayout;
using unstuck::shadow::RegisterSpan;

// Offsets in VexGuestAMD64State (Valgrind 3.19).
constexpr int32_t kRax = 16;
constexpr int32_t kYmm0 = 224;
constexpr int32_t kFpTags = 840;

}  // namespace

TEST_CASE("one byte elements shadow each register byte in place") {
  RegisterShadowLayout layout = amd64_register_shadow(1);
  CHECK(layout.valid());
  CHECK(layout.element_offset(kRax + 1) == kAmd64GuestStateBytes + kRax + 1);
  RegisterSpan ah = layout.span(kRax + 1, 1);
  CHECK(ah.shadow_offset == kAmd64GuestStateBytes + kRax + 1);
  CHECK(ah.area_offset == kRax + 1);
  CHECK(ah.bytes == 1);
  CHECK(ah.covers_exactly);
}

TEST_CASE("four byte elements: one per aligned half of a 64-bit register") {
  RegisterShadowLayout layout = amd64_register_shadow(4);
  RegisterSpan rax = layout.span(kRax, 8);
  CHECK(rax.shadow_offset == kAmd64GuestStateBytes + kRax);
  CHECK(rax.bytes == 8);
  CHECK(rax.elements == 2);
  CHECK(rax.covers_exactly);
  RegisterSpan eax = layout.span(kRax, 4);
  CHECK(eax.elements == 1);
  CHECK(eax.covers_exactly);
  // AH shares the element of EAX, and a write to it must merge.
  RegisterSpan ah = layout.span(kRax + 1, 1);
  CHECK(ah.shadow_offset == kAmd64GuestStateBytes + kRax);
  CHECK(ah.bytes == 4);
  CHECK_FALSE(ah.covers_exactly);
  CHECK(layout.element_offset(kRax + 7) == kAmd64GuestStateBytes + kRax + 4);
  RegisterSpan ymm0 = layout.span(kYmm0, 32);
  CHECK(ymm0.bytes == 32);
  CHECK(ymm0.elements == 8);
  // Eight x87 tag bytes share two elements.
  RegisterSpan tag3 = layout.span(kFpTags + 3, 1);
  CHECK(tag3.shadow_offset == kAmd64GuestStateBytes + kFpTags);
  CHECK_FALSE(tag3.covers_exactly);
}

TEST_CASE("the second shadow area") {
  RegisterShadowLayout layout = amd64_register_shadow(2, 2);
  CHECK(layout.valid());
  RegisterSpan rax = layout.span(kRax + 2, 2);
  CHECK(rax.shadow_offset == 2 * kAmd64GuestStateBytes + kRax + 2);
  CHECK(rax.area_offset == kRax + 2);
  CHECK(rax.elements == 1);
}

TEST_CASE("invalid layouts are recognised") {
  CHECK_FALSE(amd64_register_shadow(3).valid());
  CHECK_FALSE(amd64_register_shadow(4, 3).valid());
  CHECK_FALSE(RegisterShadowLayout(930, 4, 1).valid());
  CHECK(amd64_register_shadow(8, 1).valid());
}
