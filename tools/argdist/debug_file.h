// Finding an object's DWARF: in the object itself, else in its separate
// debug file, looked up the way GDB and Valgrind do: by build id under
// /usr/lib/debug/.build-id/, then by .gnu_debuglink name beside the object,
// in its .debug/ folder, and under /usr/lib/debug/ plus its folder.
#pragma once

#include "tools/argdist/dwarf_reader.h"

namespace unstuck::argdist {

// Reads the DWARF sections of `object_path` or of its debug file.  False
// when neither has .debug_info.
bool load_debug_sections(const char* object_path, DwarfSections* sections);

}  // namespace unstuck::argdist
