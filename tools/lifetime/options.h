// The lifetime tool's command-line options: one place for their names,
// defaults and help text (docs/lifetime.md mirrors print_usage()).
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {

// Which per-object records the JSON output lists under each site.
enum class ObjectListing { kNone, kSuspicious, kAll };

struct Options {
  const HChar* out_file;        // --lifetime-out-file, %p and %q expanded
  uint64_t histogram_max;          // per-offset counts for blocks up to this size
  ObjectListing objects;        // --objects
  uint64_t max_objects_per_site;   // listed objects per site, the rest counted
  uint64_t freed_window;           // bytes of freed blocks watched for use
  uint64_t short_lived;            // instructions: DHAT's "short-lived" threshold
  uint64_t low_utilisation;        // percent: below it a block is under-used
  uint64_t top_functions;          // functions listed per object and site
  uint64_t summary_sites;          // sites per section of the stderr summary
  Bool show_misuse;             // print misuse as it happens
};

// Constant-initialised: no constructor runs inside Valgrind.
extern Options g_options;

bool process_option(const HChar* arg);
void print_usage();
void print_debug_usage();

}  // namespace unstuck::lifetime
