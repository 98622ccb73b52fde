// Everything argdist learns about one traced function: its identity and
// signature, how its calls ended, and the distributions of its arguments,
// result and call duration, in total and per call site.
#pragma once

#include <stdint.h>

#include "shared/rt/hash_map.h"
#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"
#include "tools/argdist/aggregate.h"
#include "tools/argdist/heap_blocks.h"
#include "tools/argdist/pointer_kinds.h"
#include "tools/argdist/signature.h"
#include "tools/argdist/top_strings.h"

namespace unstuck::argdist {

// One argument's (or the result's) distributions.  `kinds` for pointers,
// `strings` for char pointers with --strings=yes.
struct ValueRecord {
  ValueAggregate values;
  PointerKindCounts* kinds = nullptr;
  TopStrings* strings = nullptr;
};

// Calls made from one place: keyed by the return address, which names the
// call instruction just before it.  Summaries only (no histograms), to
// keep a function with thousands of callers small.
struct SiteRecord {
  Addr return_address;
  uint64_t calls;
  uint64_t returns;
  Summary* args;  // one per parameter
  Summary result;
  Summary duration;
};

struct FunctionRecord {
  // Identity.
  const char* name;     // the name the selection matched
  const char* object;   // the object file's path
  const char* soname;   // may be null
  const char* file;     // the source file of the entry, may be null
  uint32_t line;
  Addr entry;           // run-time address
  Signature signature;
  // False for an allocator followed only for --heap-blocks, and for an
  // ifunc's resolver: not reported, nothing aggregated.
  bool reported;
  AllocatorRole allocator_role;

  // An ifunc (memcpy, strlen in glibc): the function is the implementation
  // its resolver returns, and `entry` is 0 until the resolver has run.
  FunctionRecord* resolver;     // on the ifunc's record
  FunctionRecord* resolves;     // on the resolver's record
  const char* implementation;   // its name ("__memmove_avx_unaligned_erms")
  FunctionRecord* shares_with;  // resolved to another ifunc's implementation

  // How calls ended: calls = returns + unwound + unreturned.
  uint64_t calls;
  uint64_t returns;     // by a ret to the caller's return address
  uint64_t unwound;     // the stack pointer moved above the frame another
                        // way: longjmp, an exception
  uint64_t unreturned;  // still running at thread or process exit
  uint64_t tail_calls;  // times it jumped (not called) into a traced
                        // function, whose return then ended both

  Vector<ValueRecord> args;  // one per parameter
  ValueRecord result;
  ValueAggregate duration;   // instructions from entry to return

  HashMap<Addr, SiteRecord*> sites;
  SiteRecord* last_site;  // the site of the last call
};

// Prepares the record's aggregates for its signature and the options
// (--top, --lhist, --strings).
void start_aggregates(FunctionRecord* record);

// The record of calls from `return_address`, made on first use.
SiteRecord* site_for(FunctionRecord* record, Addr return_address);

}  // namespace unstuck::argdist
