// Names of the functions that access objects, interned as small ids when
// code is instrumented, so that the access path counts an integer.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {

void install_functions();

// The id of the function holding the guest instruction at `ip` (its name
// as Valgrind's debug info gives it, or "???" with the object's name).
uint32_t function_at(Addr ip);
// The id of a name that is not a function's: "(system call)".
uint32_t function_named(const char* name);
const char* function_name(uint32_t id);

}  // namespace unstuck::lifetime
