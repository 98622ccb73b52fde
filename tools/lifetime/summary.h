// The summary printed at exit, in Valgrind's style: DHAT's totals, then
// the sites worth a look (top by bytes, short-lived, under-used, never
// read, leaked) and the misuse counts.  The full data is in the JSON file.
#pragma once

namespace unstuck::lifetime {

class SiteTable;

void print_summary(SiteTable& sites, const char* output_path);

}  // namespace unstuck::lifetime
