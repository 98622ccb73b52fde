// Reading the program's memory from the tool, safely: through addresses
// the program handed over (string arguments, iovecs), which may be bad.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

bool is_readable(Addr a, SizeT n);
// The length of the NUL-terminated string at `a`, NUL included, looking
// at `limit` bytes at most; 0 if `a` cannot be read.
uint64_t string_bytes(Addr a, uint64_t limit);

}  // namespace unstuck::taint
