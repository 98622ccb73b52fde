// Signatures of glibc's string and memory functions, which are written in
// assembly and so have no parameters in DWARF: memcpy, strlen, memcmp and
// the like take these instead of --args's six integers.  Used for
// functions of libc.so and ld.so with no DWARF signature and no
// --signature; an implementation's name counts as its function's
// ("__memmove_avx_unaligned_erms" is memmove).
#pragma once

#include "tools/argdist/signature.h"

namespace unstuck::argdist {

// Fills `signature` and returns true when `name` is one of them.
bool libc_prototype(const char* name, Signature* signature);

// Whether an object (by soname or path) is glibc's libc or dynamic linker.
bool is_glibc_object(const char* soname, const char* path);

}  // namespace unstuck::argdist
