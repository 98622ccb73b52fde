#include "shared/shadow/shadow_registers.h"

#include "shared/rt/check.h"

namespace unstuck::shadow {

bool RegisterShadowLayout::valid() const {
  bool element_ok = element_bytes_ == 1 || element_bytes_ == 2 ||
                    element_bytes_ == 4 || element_bytes_ == 8;
  return element_ok && (area_ == 1 || area_ == 2) && guest_state_bytes_ > 0 &&
         guest_state_bytes_ % element_bytes_ == 0;
}

int32_t RegisterShadowLayout::element_offset(int32_t guest_offset) const {
  UNSTUCK_CHECK(guest_offset >= 0 && guest_offset < guest_state_bytes_);
  return area_ * guest_state_bytes_ + (guest_offset & ~(element_bytes_ - 1));
}

RegisterSpan RegisterShadowLayout::span(int32_t guest_offset,
                                        int32_t size) const {
  UNSTUCK_CHECK(size > 0 && guest_offset >= 0 &&
                guest_offset + size <= guest_state_bytes_);
  int32_t mask = element_bytes_ - 1;
  int32_t first = guest_offset & ~mask;
  int32_t end = (guest_offset + size + mask) & ~mask;
  RegisterSpan result;
  result.shadow_offset = area_ * guest_state_bytes_ + first;
  result.area_offset = first;
  result.bytes = end - first;
  result.elements = result.bytes / element_bytes_;
  result.covers_exactly = first == guest_offset && end == guest_offset + size;
  return result;
}

}  // namespace unstuck::shadow
