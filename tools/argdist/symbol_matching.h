// Whether a symbol is one the user asked for: its names (the primary one
// and its aliases, demangled, with and without a version suffix such as
// "@@GLIBC_2.14" and a C++ parameter list) against --fn's globs and
// scopes, and its object against --fn-object.
#pragma once

#include "shared/vg/valgrind_api.h"
#include "tools/argdist/heap_blocks.h"

namespace unstuck::argdist {

// Where a symbol lives, for scopes: the object's soname, path and file
// name, and the source file of the symbol's address.
struct SymbolPlace {
  const char* soname;  // may be null
  const char* object_path;
  Addr address;
};

// A symbol as the object's symbol table gives it.
struct SymbolNames {
  const HChar* primary;
  const HChar** aliases;  // null-terminated, may be null
  bool global;
};

// The name under which the selection wants the symbol (demangled, without
// a version suffix, copied for the run), or null.
const char* selected_name(const SymbolNames& symbol, const SymbolPlace& place);

// The allocator role of a global symbol under any of its names (with
// --heap-blocks), and that name.
AllocatorRole allocator_role_of(const SymbolNames& symbol, const char** name);

}  // namespace unstuck::argdist
