// Guest code to host code, through VEX, exactly as the recording lifted it.
//
// One guest superblock per translation: VEX's front end (amd64), no chasing,
// the recorded VexConfig, code bytes read from the guest window; then our
// instrumentation, in this order:
//   1. memory_rebase: guest addresses move into the guest window;
//   2. nondet_helpers: rdtsc, cpuid, ... ask the NondetSource;
//   3. the clock pass (shared/timeline/clock_pass.h), last, as the recorder
//      runs it: time advances by exactly the recorder's rules.
// and VEX's back end writes amd64 code that leaves through the dispatcher
// (dispatcher.h).
#pragma once

#include <stdint.h>

#include <vector>

#include "gdbstub/replay/redirect_table.h"
#include "gdbstub/replay/vex_config.h"
#include "shared/rt/arena.h"
#include "shared/timeline/clock_pass.h"

namespace unstuck::replay {

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
  Translator(const VexConfig& config, timeline::ClockState* clock);
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
  static UInt no_self_check(void*, VexRegisterUpdates*, const VexGuestExtents*);
  static Bool never_chase(void*, Addr);
  VexTranslateArgs arguments(const BlockRequest& request,
                             VexGuestExtents* extents, Int* used);

  VexConfig config_;
  VexArchInfo host_arch_;
  timeline::ClockState* clock_;
  Arena shapes_;  // the clock's per-block records
  const BlockRequest* current_ = nullptr;
  std::vector<uint8_t> output_;
  int trace_flags_ = 0;
};

}  // namespace unstuck::replay
