// The IR pass that points VEX's non-deterministic dirty helpers (rdtsc,
// rdtscp, rdrand, rdseed, sgdt/sidt, cpuid) at replacements which ask a
// NondetSource instead of the host CPU.
//
// Helpers are recognised by their IRCallee name, as VEX's front end names
// them.  The replacements have the helpers' exact signatures, so the
// statement keeps its arguments and declared effects; only the callee
// changes.  Generated code cannot carry a context pointer to them, so the
// source they ask is the one bound to the calling thread while it runs
// generated code (NondetBinding).
#pragma once

extern "C" {
#include "libvex_basictypes.h"
#include "libvex_ir.h"
}

namespace unstuck::replay {

class NondetSource;

// Rewrites, in place, the callee of every non-deterministic dirty helper in
// `sb`.  Returns how many calls were rewritten.
int replace_nondet_helpers(IRSB* sb);

// True when `name` is one of the helpers replace_nondet_helpers rewrites.
bool is_nondet_helper(const char* name);

// Binds `source` to the calling thread for its lifetime; the previous
// binding comes back afterwards.
class NondetBinding {
 public:
  explicit NondetBinding(NondetSource* source);
  ~NondetBinding();
  NondetBinding(const NondetBinding&) = delete;
  NondetBinding& operator=(const NondetBinding&) = delete;

 private:
  NondetSource* previous_;
};

}  // namespace unstuck::replay
