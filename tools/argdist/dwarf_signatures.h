// Function signatures from DWARF: the names, types and ABI places of a
// function's parameters and its result, read from the object file's own
// .debug_info or from its separate debug file (found by build id or
// debug link, as Valgrind and GDB find them; zlib-compressed sections are
// inflated).
//
// Read inside the tool, at the time the object's functions are selected,
// because the types decide how values are captured: which registers
// (integer or xmm), how many bits (an int's upper half is garbage), signed
// or not, and which arguments are pointers or strings.  Valgrind's own
// DWARF reader keeps parameters' types only behind its core-private
// interface, so argdist has its own minimal reader.
#pragma once

#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"
#include "tools/argdist/signature.h"

namespace unstuck::argdist {

// For each link-time address, the signature of the function DWARF
// describes there, or null (no DWARF, or no subprogram at that address).
// out->size() == link_addresses.size() afterwards; the caller owns the
// signatures.
void read_dwarf_signatures(const char* object_path,
                           const Vector<Addr>& link_addresses,
                           Vector<Signature*>* out);

}  // namespace unstuck::argdist
