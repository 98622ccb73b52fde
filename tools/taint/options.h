// The taint tool's command-line options, all in one place: the parser,
// the usage text (mirrored in docs/taint.md) and the values.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

enum class Propagation { kUnion, kCopyOnly };

struct Options {
  // Sources.
  Vector<const HChar*> taint_files;  // --taint-file=GLOB, repeatable
  bool taint_stdin = false;
  bool taint_net = false;
  bool taint_argv = false;
  bool taint_env = false;
  // Propagation.
  bool taint_addresses = false;
  Propagation propagation = Propagation::kUnion;
  // Sinks.
  bool sink_addresses = false;
  Vector<const HChar*> sink_functions;  // --sink-fn=a,b,c
  uint64_t sink_function_bytes = 64;
  bool all_times = false;  // --sink-times=all
  uint64_t max_findings = 10000;
  // Label sets interned before ranges are coarsened (docs/taint.md).
  uint64_t label_budget = 100000;
  // 16-bit labels in memory while the run has few label sets
  // (tools/taint/label_map.h), and the id at which they widen.
  bool narrow_labels = true;
  uint32_t narrow_label_limit = 61440;
  // Output.
  const HChar* out_file = "taint.out.%p";
  uint64_t summary_findings = 10;
};

// The options of this run (valid after the command line is processed).
// Inline: helpers on the hot path read them.
Options& mutable_options();
extern Options* g_options;
inline const Options& options() {
  return g_options != nullptr ? *g_options : mutable_options();
}

bool process_option(const HChar* arg);
void print_usage();
void print_debug_usage();

}  // namespace unstuck::taint
