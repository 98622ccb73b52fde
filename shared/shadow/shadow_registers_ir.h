// Shadow registers in IR and in thread state (tools only).  The layout is
// described in shadow_registers.h.
#pragma once

#include <stdint.h>

#include "shared/shadow/shadow_registers.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::shadow {

// The layout for this Valgrind's guest state, elements of `element_bytes`
// in shadow area `area`.
RegisterShadowLayout guest_register_shadow(int32_t element_bytes,
                                           int32_t area = 1);

// The IR type holding `bytes` (1, 2, 4, 8, 16 or 32) shadow bytes.
IRType register_shadow_type(int32_t bytes);

// Get of the elements shadowing guest bytes [offset, offset + size): one
// expression of register_shadow_type(span.bytes), element i in its bits
// [8 E i, 8 E (i + 1)).
IRExpr* get_register_shadow(const RegisterShadowLayout& layout,
                            int32_t guest_offset, int32_t size);
// Put of `elements` (typed as the span's bytes) as the shadow of guest
// bytes [offset, offset + size).  When the span does not cover the access
// exactly, `elements` must already hold the merged old and new shadow.
IRStmt* put_register_shadow(const RegisterShadowLayout& layout,
                            int32_t guest_offset, int32_t size,
                            IRExpr* elements);
// The shadow of an indexed guest register array (GetI/PutI: the x87
// registers and tags), indexed like the guest one; null when the guest
// array's elements are not whole granules (x87 tags with E > 1), which the
// tool must then shadow some other way.
IRRegArray* shadow_register_array(const RegisterShadowLayout& layout,
                                  const IRRegArray* guest);

// From C++ (syscall wrappers, signal delivery, thread creation):
// the element shadowing guest byte `guest_offset` of thread `tid`,
uint64_t read_register_element(ThreadId tid, const RegisterShadowLayout& layout,
                               int32_t guest_offset);
// and every element covering [offset, offset + size) set to `value`.
void write_register_elements(ThreadId tid, const RegisterShadowLayout& layout,
                             int32_t guest_offset, int32_t size,
                             uint64_t value);

}  // namespace unstuck::shadow
