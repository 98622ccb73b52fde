// The order reports list functions in: by name, then object, then entry
// address, so that runs of one program report alike.
#pragma once

#include "shared/rt/vector.h"
#include "tools/argdist/function_record.h"

namespace unstuck::argdist {

// (The values on their way are aggregated first: see value_stream.h.)
void sorted_functions(Vector<const FunctionRecord*>* out);

// A function's call sites, most calls first (then by return address).
void sorted_sites(const FunctionRecord& function, Vector<const SiteRecord*>* out);

// The most frequent values, most frequent first, ties by value (in the
// value's own order: -1 before 0 for signed values).
void sorted_top_values(const ValueAggregate& values, Vector<HeavyHitters::Counter>* out);

}  // namespace unstuck::argdist
