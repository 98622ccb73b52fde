// Which code addresses are the entries of traced functions.
//
// Decided at translation time, an object at a time: the first time code of
// an object file is translated, its symbol table is read (every name of a
// symbol, aliases included, demangled) and matched against --fn and
// --fn-object; the matches become FunctionRecords, with a signature from
// the object's DWARF, else --signature, else --args.  Instrumentation then
// asks traced_function_at(address) of each instruction: a hash lookup.
#pragma once

#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"
#include "tools/argdist/function_record.h"

namespace unstuck::argdist {

void install_selection();

// Before instrumenting a superblock starting at `address`: reads the
// symbols of its object if that is the first time.
void prepare_selection(Addr address);

// The traced function whose entry is `address`, or null.
FunctionRecord* traced_function_at(Addr address);

// An ifunc's resolver returned `implementation`: from now on, calls there
// are calls of `ifunc` (translations of it made before are discarded).
void ifunc_resolved(FunctionRecord* ifunc, Addr implementation);

// Every traced function, in the order they were selected.
const Vector<FunctionRecord*>& traced_functions();

}  // namespace unstuck::argdist
