// lifetime.out.<pid>: the whole profile as JSON (docs/lifetime.md has the
// schema): totals, then one record per site, each with the objects that
// --objects asked for.
#pragma once

namespace unstuck::lifetime {

class SiteTable;

// Writes the file; false (with a message) if it could not be written.
bool write_json_output(const char* path, SiteTable& sites);

}  // namespace unstuck::lifetime
