// argdist's command-line options: which functions to trace (--fn,
// --fn-object, --max-functions), how to read their arguments without
// DWARF (--args, --signature), what to aggregate (--top, --lhist,
// --strings, --sites, --heap-blocks) and where to write the results.
// docs/argdist.md describes each; print_usage() is the short form.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"
#include "tools/argdist/aggregate.h"
#include "tools/argdist/signature.h"

namespace unstuck::argdist {

// --fn=PATTERN: a glob on a function's name, optionally after SCOPE: (a
// glob on the object's soname, its file name or path, or the source file
// of the function).  C++'s "::" never separates a scope.
struct FunctionPattern {
  const char* scope;  // null: any
  const char* name;
};

// --signature=NAME:TYPES.
struct UserSignature {
  const char* name;  // a glob, as in --fn
  Signature* signature;
};

// --lhist=[FUNCTION.]ARG:MIN:MAX:STEP.  ARG is a parameter's name, its
// index (0, arg0), "ret" or "duration".
struct LinearRequest {
  const char* function;  // a glob, null: every function
  const char* value;
  LinearSpec spec;
};

struct Options {
  Vector<FunctionPattern>* patterns;
  Vector<const char*>* objects;        // --fn-object=SONAME globs
  Vector<UserSignature>* signatures;
  Vector<LinearRequest>* linear;
  uint32_t max_functions;
  uint32_t default_args;               // --args
  uint32_t top;
  bool top_pointers;                   // --top for pointer arguments too
  bool strings;
  uint32_t string_max;
  bool sites;
  bool heap_blocks;
  bool text_report;                    // histograms on stderr at exit
  const HChar* out_file;               // before %p expansion
  bool aggregation_thread;             // on a background worker if it can
};

const Options& options();

void install_options();
bool parse_option(const HChar* arg);
void print_option_usage();
// Checks the options together; ends the run with a message when unusable.
void check_options();

// The user signature for function `name`, or null.
const Signature* user_signature_for(const char* name);
// The linear histogram requested for `value` of function `name` ("ret",
// "duration", a parameter name; `index` < 0 for those that are not
// parameters), or null.
const LinearSpec* linear_spec_for(const char* function, const char* value,
                                  int index);

}  // namespace unstuck::argdist
