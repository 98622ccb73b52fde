// --sink-fn=NAME,...: the arguments of named functions are sinks.  At
// translation time every instruction that is the entry of a function with
// one of those names (or glibc's variants of it: __memcpy_avx_unaligned,
// __libc_system, ...; memcpy and memmove are one family) gets a helper
// call that checks the argument registers (rdi, rsi, rdx, rcx, r8, r9 in
// the SysV ABI).  A pointer argument also counts the bytes it points to:
// up to the NUL for strings, the size argument for the memory functions
// the tool knows, else --sink-fn-bytes bytes.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"
#include "tools/taint/label_ir.h"

namespace unstuck::taint {

// Emits the check if `pc` is the entry of a --sink-fn function.
void emit_function_sink_check(LabelIR& ir, Addr pc, uint32_t instructions_left);

}  // namespace unstuck::taint
