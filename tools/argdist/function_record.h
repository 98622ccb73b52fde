// Everything argdist learns about one traced function: its identity and
// signature, how its calls ended, and the distributions of its arguments,
// result and call duration, in total and per call site.
#pragma once

#include <stdint.h>

#include "shared/rt/hash_map.h"
#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"
#include "tools/argdist/aggregate.h"
#include "tools/argdist/capture.h"
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

// How the values of a logged call (call_log.h) are taken from the
// entry's register words: only arguments in registers, so at most 14.
struct LoggedValue {
  uint8_t param;
  uint8_t word;  // 0-5: rdi ... r9; 6-13: the low halves of xmm0-7
  // normalize() without its branches on the type: an integer's bits
  // above its size shifted out and back (arithmetically when signed);
  // a float widened to a double.
  uint8_t shift;
  uint8_t how;  // kShiftUnsigned, kShiftSigned or kWidenFloat

  static constexpr uint8_t kShiftUnsigned = 0, kShiftSigned = 1, kWidenFloat = 2;
  static LoggedValue of(uint8_t param, uint8_t word, const ValueType& type);
  uint64_t normalized(uint64_t raw) const {
    if (how == kWidenFloat) return normalize(raw, {ValueKind::kFloat, 4, nullptr});
    const uint64_t up = raw << shift;
    return how == kShiftSigned ? static_cast<uint64_t>(static_cast<int64_t>(up) >> shift)
                               : up >> shift;
  }
};
constexpr size_t kMaxLoggedValues = 14;
struct CallPlan {
  uint8_t count;
  bool notes;           // some value is a pointer, classified at once
  bool result;          // the result is aggregated
  bool result_in_xmm0;  // else rax
  ValueKind result_kind;
  uint8_t result_size;
  uint8_t entry_words;  // of a logged entry (call_log.h)
  LoggedValue values[kMaxLoggedValues];  // by parameter, in order
  // Where pointers are classified (null for other values): copies of the
  // ValueRecords' `kinds`, whose cache lines the aggregation writes.
  PointerKindCounts* kinds[kMaxLoggedValues];
  PointerKindCounts* result_kinds;
  TopStrings* result_strings;
};

struct FunctionRecord {
  // What the replay reads or updates at every traced call, together at
  // the start (the rest is read when calls are aggregated or reported;
  // spread over the record, these fields cost several cache misses a
  // call).  The aggregation thread reads none of it: the lines the replay
  // writes stay in its core's cache.
  uint64_t calls;
  uint64_t returns;       // by a ret to the caller's return address
  SiteRecord* last_site;  // the site of the last call,
  Addr last_site_address;  // and its return address
  // False for an allocator followed only for --heap-blocks, and for an
  // ifunc's resolver: not reported, nothing aggregated.
  bool reported;
  AllocatorRole allocator_role;
  FunctionRecord* resolves;  // on an ifunc resolver's record
  CallPlan plan;             // for logged calls: see plan_logged_calls()

  // Identity.
  const char* name;     // the name the selection matched
  const char* object;   // the object file's path
  const char* soname;   // may be null
  const char* file;     // the source file of the entry, may be null
  uint32_t line;
  Addr entry;           // run-time address
  Signature signature;

  // An ifunc (memcpy, strlen in glibc): the function is the implementation
  // its resolver returns, and `entry` is 0 until the resolver has run.
  FunctionRecord* resolver;     // on the ifunc's record
  const char* implementation;   // its name ("__memmove_avx_unaligned_erms")
  FunctionRecord* shares_with;  // resolved to another ifunc's implementation

  // How calls ended: calls = returns + unwound + unreturned (the first
  // two are above).
  uint64_t unwound;     // the stack pointer moved above the frame another
                        // way: longjmp, an exception
  uint64_t unreturned;  // still running at thread or process exit
  uint64_t tail_calls;  // times it jumped (not called) into a traced
                        // function, whose return then ended both

  Vector<ValueRecord> args;  // one per parameter
  ValueRecord result;
  ValueAggregate duration;   // instructions from entry to return

  HashMap<Addr, SiteRecord*> sites;

  uint64_t aggregated_params;    // bit i: parameter i is aggregated
};

// Prepares the record's aggregates for its signature and the options
// (--top, --lhist, --strings).
void start_aggregates(FunctionRecord* record);

// Fills record->plan from the signature, when every parameter is in a
// register (after start_aggregates: pointers are noted).
void plan_logged_calls(FunctionRecord* record);

// The record of calls from `return_address`, made on first use.  Calls
// come in runs from one place (a loop): the last site is checked first.
SiteRecord* find_site(FunctionRecord* record, Addr return_address);
inline SiteRecord* site_for(FunctionRecord* record, Addr return_address) {
  if (record->last_site != nullptr && record->last_site_address == return_address)
    return record->last_site;
  return find_site(record, return_address);
}

}  // namespace unstuck::argdist
