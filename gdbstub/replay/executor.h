// The execution engine: runs guest code from a VexGuestAMD64State until an
// exact instruction count, or until something the caller must handle.
//
// Time is the instruction clock of shared/timeline/clock_pass.h, counted by
// the same IR the recorder adds: an instruction counts once per execution as
// VEX lifts it (a rep iteration counts once), a syscall instruction retires
// and counts, a faulting instruction does not.
//
// Exact stops: no translation may run past the deadline.  Blocks are
// translated with at most min(full length, instructions left) instructions,
// and the event check at the start of every translation bounds what runs
// without coming back to C++: host_EvC_COUNTER is set to
// floor(left / full length) blocks, the first block is entered through its
// event check, and chained jumps and the dispatcher's fast table always go
// to event-checked entry points.  When fewer than a full block's
// instructions are left, one block (cut to fit) runs at a time.
#pragma once

#include <setjmp.h>
#include <stdint.h>

#include <memory>
#include <optional>
#include <vector>

#include "gdbstub/replay/breakpoint_set.h"
#include "gdbstub/replay/dispatcher.h"
#include "gdbstub/replay/fault_handler.h"
#include "gdbstub/replay/fp_mode.h"
#include "gdbstub/replay/guest_memory.h"
#include "gdbstub/replay/nondet_source.h"
#include "gdbstub/replay/redirect_table.h"
#include "gdbstub/replay/stop_conditions.h"
#include "gdbstub/replay/translation_cache.h"
#include "gdbstub/replay/translator.h"
#include "gdbstub/replay/vex_config.h"
#include "gdbstub/replay/watch_monitor.h"
#include "gdbstub/replay/watch_set.h"
#include "shared/timeline/clock_pass.h"

extern "C" {
#include "libvex_guest_amd64.h"
}

namespace unstuck::replay {

enum class StopReason {
  ReachedDeadline,
  Syscall,        // the syscall instruction retired; guest_RIP is after it
  ClientRequest,  // Valgrind's client-request sequence; guest_RIP after it
  Yield,          // a spin hint (pause): Valgrind may switch threads soon
  SigTrap,
  SigSegv,
  SigBus,
  SigIll,
  SigFpe,
  NoDecode,  // an instruction VEX cannot decode; guest_RIP is at it
  EmFail,    // VEX cannot emulate this (fatal under Valgrind)
  EmWarn,    // VEX emulates it imprecisely; guest_EMNOTE says how
  // The thread is about to execute a breakpoint address: nothing of that
  // instruction has run, and time is where it was.
  Breakpoint,
  // An instruction accessed a watched range and completed; guest_RIP is the
  // next instruction and time counts the accessing one.
  Watchpoint,
  Other,
};

const char* stop_reason_name(StopReason reason);

struct Stop {
  StopReason reason;
  // The VEX_TRC_* code of the exit (for Syscall: which kind of system
  // call), or the host signal number for a host fault (the guest divided
  // by zero, or accessed memory outside the window); 0 at the deadline.
  uint64_t trc_or_jumpkind;
  // Host faults: the guest address accessed (for SIGFPE, meaningless).  A
  // jump outside the window: that address.
  uint64_t fault_address;
  // Breakpoint: its address.  Watchpoint: the lowest watched address the
  // instruction touched, and whether it read or wrote it.
  ConditionHit hit;
};

struct ExecutorOptions {
  size_t code_cache_bytes = size_t{512} << 20;
  bool chaining = true;
};

struct ExecutorStats {
  uint64_t dispatches;  // entries into generated code
  uint64_t translations;
  uint64_t chains;
  uint64_t flushes;
};

class Executor {
 public:
  Executor(const VexConfig& config, GuestMemory& memory, NondetSource& nondet,
           ExecutorOptions options = {});
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs from state.guest_RIP until time() == deadline or an exit the
  // caller must handle; `state` is updated.  Ijk_Boring/Call/Ret, NoRedir
  // and InvalICache exits are handled here.
  Stop run(VexGuestAMD64State& state, uint64_t deadline);
  // The same on the registers the engine holds (state()), without copying
  // them in and out: a copy costs as much as a one-instruction run.
  Stop run(uint64_t deadline);
  VexGuestAMD64State& state() { return state_->guest; }

  // Guest instructions retired (global over threads).
  uint64_t time() const { return clock_.time; }
  void set_time(uint64_t time);

  // Drops translations of guest code in [start, start + len).
  void invalidate(uint64_t start, uint64_t len);
  // Redirections in force from now on (see redirect_table.h).
  void add_redirect(uint64_t from, uint64_t to, RedirectKind kind);
  void remove_redirect(uint64_t from);
  // Breakpoints and watchpoints in force from now on (see the top of this
  // file).  Translations made under other conditions that could now miss a
  // stop are dropped: those spanning or entered at a new breakpoint, those
  // cut before a removed one, and all of them when the watched ranges
  // change.  Only between runs; cheap when nothing changes.
  void set_stop_conditions(const StopConditions& conditions);
  // No breakpoint stops a run while time() is `time`: how a caller resumes
  // from a breakpoint stop (the instruction there is stepped over).
  // UINT64_MAX: none.
  void skip_breakpoints_at(uint64_t time) { skip_breakpoints_at_ = time; }

  // A block entered after an Ijk_NoRedir jump is pending when a run stops
  // right after the jump; a caller that switches threads there drops it.
  void drop_pending_no_redirect() { no_redirect_at_.reset(); }

  void set_chaining(bool on) { chaining_ = on; }
  ExecutorStats stats() const;
  Translator& translator() { return translator_; }

 private:
  // The guest state, its two shadow copies and VEX's spill area, back to
  // back and 16-aligned, as generated code expects (libvex.h).
  struct alignas(16) StateBlock {
    VexGuestAMD64State guest;
    VexGuestAMD64State shadow1;
    VexGuestAMD64State shadow2;
    uint8_t spill[LibVEX_N_SPILL_BYTES];
  };

  Stop run_guarded(uint64_t deadline);
  Stop run_blocks(uint64_t deadline);
  Stop after_host_fault();
  Stop watchpoint_stop();
  Stop stop_with_watch_hit(const DispatchExit& exit);
  void set_breakpoints(const std::vector<uint64_t>& addresses);
  void set_watchpoints(const std::vector<WatchRange>& ranges);
  Translation* block_fitting(uint64_t pc, uint64_t left, bool no_redirect);
  Translation* block_at(uint64_t pc, uint32_t max_insns, bool no_redirect);
  Translation* translate(const BlockKey& key);
  Translation* translate_into_cache(const BlockKey& key,
                                    const BlockRequest& request);
  DispatchExit enter(const Translation& t, uint64_t left);
  std::optional<Stop> handle_exit(const DispatchExit& exit, uint64_t deadline);
  std::optional<Stop> handle_assisted(uint64_t trc);
  void maybe_chain(const DispatchExit& exit, uint64_t deadline);
  bool take_no_redirect(uint64_t pc);
  VexGuestAMD64State& guest() { return state_->guest; }

  GuestMemory& memory_;
  NondetSource& nondet_;
  timeline::ShapeTable shapes_;  // the clock's, by id
  timeline::ClockState clock_ = {0, &shapes_, nullptr};
  BreakpointSet breakpoints_;
  WatchSet watches_;
  Translator translator_;
  TranslationCache cache_;
  RedirectTable redirects_;
  std::unique_ptr<StateBlock> state_;
  WatchMonitor watch_monitor_;
  uint64_t skip_breakpoints_at_ = UINT64_MAX;
  std::optional<uint64_t> no_redirect_at_;
  bool chaining_;
  uint64_t dispatches_ = 0;
  jmp_buf fault_landing_;
};

}  // namespace unstuck::replay
