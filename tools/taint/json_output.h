// taint.out.<pid>: the run's sources, findings and flow graph as JSON
// (the schema is in docs/taint.md).
#pragma once

namespace unstuck::taint {

// Writes the file named by --taint-out-file; returns its path (for the
// summary), or null if it could not be written (with a message).
const char* write_json_output();

}  // namespace unstuck::taint
