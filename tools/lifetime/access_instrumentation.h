// The IR pass: before every load and store of guest memory, an inline
// check through the shadow map (shared/shadow/shadow_ir.h) and, when the
// access touches a granule of a shadow object, a call to
// access_recording.h's helper with the access's exact time and function.
// Runs before the recorder's pass and the clock pass.
#pragma once

#include "shared/vg/valgrind_api.h"
#include "tools/lifetime/object_table.h"

namespace unstuck::lifetime {

IRSB* instrument_accesses(IRSB* in, ObjectMap& map);

}  // namespace unstuck::lifetime
