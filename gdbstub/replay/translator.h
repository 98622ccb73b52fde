// Guest code to host code, through VEX, exactly as the recording lifted it.
//
// One guest superblock per translation: VEX's front end (amd64), no chasing,
// the recorded VexConfig, code bytes read from the guest window; then our
// instrumentation, in this order:
//   1. memory_rebase: guest addresses move into the guest window;
//   2. nondet_helpers: rdtsc, cpuid, ... ask the NondetSource;
//   3. watch_pass, only while watchpoints are set: an exit after any
//      instruction that touched a watched range;
//   4. the clock pass (shared/timeline/clock_pass.h), last, as the recorder
//      runs it: time advances by exactly the recorder's rules.
// and VEX's back end writes amd64 code that leaves through the dispatcher
// (dispatcher.h).
//
// Breakpoints shape translations too: a block never runs into one past its
// first instruction, it is cut just before it (lifted again with fewer
// instructions, as for a stop time), so the engine sees every breakpoint at
// a block entry.
#pragma once

#include <stdint.h>

#include <vector>

#include "gdbstub/replay/breakpoint_set.h"
#include "gdbstub/replay/redirect_table.h"
#include "gdbstub/replay/vex_config.h"
#include "shared/rt/arena.h"
#include "shared/timeline/clock_pass.h"

namespace unstuck::replay {

class WatchSet;

// The most guest code bytes one block may span: 100 instructions of at most
// 15 bytes.  A block must be readable from the window in full.
inline constexpr uint64_t kMaxBlockBytes = 100 * 15;

// The stop conditions translations must honour; both outlive the
// translator, and translations made under other conditions must be dropped
// when they change (Executor::set_stop_conditions).
struct TranslationConditions {
  const BreakpointSet* breakpoints = nullptr;
  WatchSet* watches = nullptr;
};

struct BlockRequest {
  uint64_t guest_address;  // where the guest enters the block
  uint64_t code_address;   // where its code is taken from (redirected)
  RedirectKind redirect;
  // At most this many guest instructions (1 to 100): a block must not run
  // past the next stop time.
  uint32_t max_insns;
  // Whether exits may chain and use the fast table.  Valgrind never chains
  // no-redirect translations: every exit of one returns to the dispatcher.
  bool chainable;
};

struct TranslatedBlock {
  const uint8_t* code;  // valid until the next translate()
  uint32_t size;
  uint64_t code_base;  // the guest bytes the block was lifted from
  uint32_t code_len;
  uint32_t guest_insns;
};

class Translator {
 public:
  // `clock` is what the generated code will update; it must outlive every
  // translation made.
  Translator(const VexConfig& config, timeline::ClockState* clock,
             TranslationConditions conditions = {});
  Translator(const Translator&) = delete;
  Translator& operator=(const Translator&) = delete;

  // The code must lie in the guest window (GuestMemory::contains).
  TranslatedBlock translate(const BlockRequest& request);

  // Frees the clock's per-block records.  Only when no translation made so
  // far can run again (the code cache was flushed) and none is running.
  void forget_all();

  const VexConfig& config() const { return config_; }
  // A full superblock's length, the recorded guest_max_insns.
  uint32_t full_block_insns() const { return config_.control.guest_max_insns; }
  // VEX's trace flags (VEX_TRACE_* bits, libvex_ir.h), for debugging.
  void set_trace_flags(int flags) { trace_flags_ = flags; }

 private:
  static IRSB* instrument(void* self, IRSB* sb, const VexGuestLayout*,
                          const VexGuestExtents*, const VexArchInfo*, IRType,
                          IRType);
  static Bool add_preamble(void* self, IRSB* sb);
  static UInt no_self_check(void* self, VexRegisterUpdates* updates,
                            const VexGuestExtents*);
  static Bool never_chase(void*, Addr);
  VexTranslateArgs arguments(const BlockRequest& request,
                             VexGuestExtents* extents, Int* used);
  uint32_t instructions_to_lift(const BlockRequest& request);
  uint32_t instructions_before_breakpoint(const BlockRequest& request);
  bool watching() const;

  VexConfig config_;
  VexArchInfo host_arch_;
  timeline::ClockState* clock_;
  TranslationConditions conditions_;
  Arena shapes_;  // the clock's per-block records
  const BlockRequest* current_ = nullptr;
  std::vector<uint8_t> output_;
  int trace_flags_ = 0;
};

}  // namespace unstuck::replay
