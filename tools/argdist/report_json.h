// The results file, argdist.out.<pid> (--argdist-out-file=, %p and %q{VAR}
// expanded): every traced function with its calls, and per argument,
// result and duration the summary, the power-of-two histogram as
// [low, high, count] rows, the linear histogram, the most frequent values
// and strings, the memory pointers pointed to, and per call site the
// summaries.  docs/argdist.md gives the schema.
#pragma once

namespace unstuck::argdist {

void write_json_report();

}  // namespace unstuck::argdist
