#include "gdbstub/replay/executor.h"

#include <signal.h>

#include <algorithm>
#include <climits>

#include "gdbstub/replay/nondet_helpers.h"
#include "shared/rt/check.h"

extern "C" {
#include "libvex_trc_values.h"
}

namespace unstuck::replay {
namespace {

// At most this many instructions run between two returns to C++ (the
// clock counts a run in 32 bits).
constexpr uint64_t kMaxRunInstructions = uint64_t{1} << 30;

StopReason reason_for_signal(int signal) {
  switch (signal) {
    case SIGSEGV: return StopReason::SigSegv;
    case SIGBUS: return StopReason::SigBus;
    case SIGFPE: return StopReason::SigFpe;
    default: return StopReason::Other;
  }
}

// Exits of generated code that the caller must see.
std::optional<StopReason> reason_for_trc(uint64_t trc) {
  switch (trc) {
    case VEX_TRC_JMP_SYS_SYSCALL:
    case VEX_TRC_JMP_SYS_INT32:
    case VEX_TRC_JMP_SYS_INT128:
    case VEX_TRC_JMP_SYS_INT129:
    case VEX_TRC_JMP_SYS_INT130:
    case VEX_TRC_JMP_SYS_INT145:
    case VEX_TRC_JMP_SYS_INT210:
    case VEX_TRC_JMP_SYS_SYSENTER: return StopReason::Syscall;
    case VEX_TRC_JMP_CLIENTREQ: return StopReason::ClientRequest;
    case VEX_TRC_JMP_YIELD: return StopReason::Yield;
    case VEX_TRC_JMP_SIGTRAP: return StopReason::SigTrap;
    case VEX_TRC_JMP_SIGSEGV:
    case VEX_TRC_JMP_MAPFAIL: return StopReason::SigSegv;
    case VEX_TRC_JMP_SIGBUS: return StopReason::SigBus;
    case VEX_TRC_JMP_SIGILL: return StopReason::SigIll;
    case VEX_TRC_JMP_SIGFPE:
    case VEX_TRC_JMP_SIGFPE_INTDIV:
    case VEX_TRC_JMP_SIGFPE_INTOVF: return StopReason::SigFpe;
    case VEX_TRC_JMP_NODECODE: return StopReason::NoDecode;
    case VEX_TRC_JMP_EMWARN: return StopReason::EmWarn;
    case VEX_TRC_JMP_EMFAIL: return StopReason::EmFail;
    default: return std::nullopt;
  }
}

// Stops after which the instruction that caused them has not retired.
bool abandons_instruction(StopReason reason) {
  switch (reason) {
    case StopReason::SigSegv: case StopReason::SigBus: case StopReason::SigIll:
    case StopReason::SigFpe: case StopReason::NoDecode: case StopReason::EmFail:
    case StopReason::Other:
      return true;
    default:
      return false;
  }
}

Stop breakpoint_stop(uint64_t pc) {
  return {StopReason::Breakpoint, 0, 0,
          {ConditionHit::Kind::Breakpoint, pc, Access::Write}};
}

}  // namespace

const char* stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::ReachedDeadline: return "reached deadline";
    case StopReason::Syscall: return "syscall";
    case StopReason::ClientRequest: return "client request";
    case StopReason::Yield: return "yield";
    case StopReason::SigTrap: return "SIGTRAP";
    case StopReason::SigSegv: return "SIGSEGV";
    case StopReason::SigBus: return "SIGBUS";
    case StopReason::SigIll: return "SIGILL";
    case StopReason::SigFpe: return "SIGFPE";
    case StopReason::NoDecode: return "undecodable instruction";
    case StopReason::EmFail: return "emulation failure";
    case StopReason::EmWarn: return "emulation warning";
    case StopReason::Breakpoint: return "breakpoint";
    case StopReason::Watchpoint: return "watchpoint";
    case StopReason::Other: return "other";
  }
  return "?";
}

Executor::Executor(const VexConfig& config, GuestMemory& memory,
                   NondetSource& nondet, ExecutorOptions options)
    : memory_(memory),
      nondet_(nondet),
      translator_(config, &clock_, {&breakpoints_, &watches_}),
      cache_(memory, options.code_cache_bytes, translator_.full_block_insns()),
      state_(std::make_unique<StateBlock>()),
      watch_monitor_(watches_, &state_->guest),
      chaining_(options.chaining) {
  install_fault_handlers();
}

void Executor::set_time(uint64_t time) { clock_.time = time; }

void Executor::invalidate(uint64_t start, uint64_t len) {
  cache_.invalidate(start, len);
}

void Executor::add_redirect(uint64_t from, uint64_t to, RedirectKind kind) {
  redirects_.add(from, to, kind);
  cache_.invalidate_entry(from);
}

void Executor::remove_redirect(uint64_t from) {
  redirects_.remove(from);
  cache_.invalidate_entry(from);
}

void Executor::set_stop_conditions(const StopConditions& conditions) {
  // A breakpoint must never be the target of a chain or of the fast table:
  // with one-instruction blocks every translation would be.
  UNSTUCK_CHECK_MSG(translator_.full_block_insns() > 1 ||
                        conditions.breakpoints.empty(),
                    "breakpoints need blocks of more than one instruction");
  set_breakpoints(conditions.breakpoints);
  set_watchpoints(conditions.watchpoints);
}

void Executor::set_breakpoints(const std::vector<uint64_t>& addresses) {
  BreakpointSet next;
  next.assign(addresses);
  if (next.addresses() == breakpoints_.addresses()) return;
  const std::vector<uint64_t> added =
      addresses_not_in(next.addresses(), breakpoints_.addresses());
  const std::vector<uint64_t> removed =
      addresses_not_in(breakpoints_.addresses(), next.addresses());
  breakpoints_ = std::move(next);
  // No block may run into a new breakpoint, nor be entered at one by a
  // chained jump or through the fast table.
  for (uint64_t a : added) {
    cache_.invalidate(a, 1);
    cache_.invalidate_entry(a);
  }
  // Blocks cut short before an old one would cost an extra exit forever.
  for (uint64_t a : removed) cache_.invalidate_ending_at(a);
}

// Every translation checks accesses against the ranges in force when it
// was made (or none), so all of them go.  Nothing runs now, so they can be
// freed at once, with their clock records.
void Executor::set_watchpoints(const std::vector<WatchRange>& ranges) {
  if (watches_.same_as(ranges)) return;
  watches_.assign(ranges);
  watch_monitor_.discard();
  cache_.flush();
  translator_.forget_all();
}

ExecutorStats Executor::stats() const {
  return {dispatches_, cache_.translations_made(), cache_.chains_made(),
          cache_.flushes()};
}

Stop Executor::run(VexGuestAMD64State& state, uint64_t deadline) {
  guest() = state;
  Stop stop = run(deadline);
  state = guest();
  return stop;
}

Stop Executor::run(uint64_t deadline) {
  UNSTUCK_CHECK_MSG(clock_.time <= deadline, "the deadline has passed");
  guest().host_EvC_FAILADDR =
      reinterpret_cast<ULong>(&unstuck_replay_evcheck_fail);
  NondetBinding binding(&nondet_);
  WatchBinding watch_binding(&watch_monitor_);
  const FpControl host_fp = save_fp_control();
  enter_vex_fp_mode(host_fp);
  Stop stop = run_guarded(deadline);
  const FpControl after = save_fp_control();
  UNSTUCK_CHECK_MSG(is_vex_fp_mode(after),
                    "generated code changed the x87 control word or MXCSR");
  leave_vex_fp_mode(host_fp, after);
  return stop;
}

// The landing for guest faults (fault_handler.h).  Nothing with a
// destructor lives between here and the dispatcher.
Stop Executor::run_guarded(uint64_t deadline) {
  if (setjmp(fault_landing_) != 0) return after_host_fault();
  return run_blocks(deadline);
}

// Like the recorder at a fault: the faulting instruction and the rest of
// its block did not retire.
Stop Executor::after_host_fault() {
  reset_to_vex_fp_mode();  // clears what the fault left on the x87 stack
  watch_monitor_.discard();  // the faulting instruction did not complete
  HostFault fault = last_host_fault();
  timeline::end_run(&clock_, &guest(), guest().guest_RIP);
  // Generated code reaches guest address A at A + kGuestBase, so this is the
  // address the guest used (wrapping, like the add does).
  const uint64_t guest_address = fault.address - kGuestBase;
  return {reason_for_signal(fault.signal), static_cast<uint64_t>(fault.signal),
          guest_address, {}};
}

Stop Executor::watchpoint_stop() {
  const WatchTouch t = watch_monitor_.take();
  return {StopReason::Watchpoint, 0, 0,
          {ConditionHit::Kind::Watchpoint, t.address, t.access}};
}

// The block ran an instruction that touched a watched range, then left
// through `exit`.  The hit is reported now unless the exit is itself a
// stop: a fault means that instruction did not complete (the hit goes); any
// other stop came from the completed instruction, and the hit stays pending
// for the next run to report at the same time.
Stop Executor::stop_with_watch_hit(const DispatchExit& exit) {
  if (exit.kind == ExitKind::Assisted) {
    if (std::optional<Stop> stop = handle_assisted(exit.word)) {
      if (abandons_instruction(stop->reason)) watch_monitor_.discard();
      return *stop;
    }
  }
  return watchpoint_stop();
}

Stop Executor::run_blocks(uint64_t deadline) {
  if (watch_monitor_.pending()) return watchpoint_stop();
  for (;;) {
    if (clock_.time == deadline) return {StopReason::ReachedDeadline, 0, 0, {}};
    const uint64_t left = deadline - clock_.time;
    const uint64_t pc = guest().guest_RIP;
    const bool at_breakpoint = breakpoints_.contains(pc);
    if (at_breakpoint && clock_.time != skip_breakpoints_at_)
      return breakpoint_stop(pc);
    const bool no_redirect = take_no_redirect(pc);
    // Stepping off a breakpoint: one instruction, in a translation that no
    // chained jump leads to.
    Translation* t = at_breakpoint ? block_at(pc, 1, no_redirect)
                                   : block_fitting(pc, left, no_redirect);
    if (t == nullptr) return {StopReason::SigSegv, 0, pc, {}};
    DispatchExit exit = enter(*t, left);
    UNSTUCK_CHECK_MSG(clock_.time <= deadline, "ran past the deadline");
    if (std::optional<Stop> stop = handle_exit(exit, deadline)) return *stop;
  }
}

bool Executor::take_no_redirect(uint64_t pc) {
  bool pending = no_redirect_at_ == pc;
  no_redirect_at_.reset();
  return pending;
}

// A block that cannot run past the deadline: the whole block when at least
// a full block's instructions are left, or when it has been translated
// already and is short enough (most blocks are: the ones cut to fit are
// then not made again for every distance from every stop); otherwise the
// block cut to what is left.
Translation* Executor::block_fitting(uint64_t pc, uint64_t left,
                                     bool no_redirect) {
  const uint32_t full = translator_.full_block_insns();
  if (left >= full) return block_at(pc, full, no_redirect);
  Translation* whole = cache_.find({pc, full, no_redirect});
  if (whole != nullptr && whole->guest_insns <= left) return whole;
  return block_at(pc, static_cast<uint32_t>(left), no_redirect);
}

Translation* Executor::block_at(uint64_t pc, uint32_t max_insns,
                                bool no_redirect) {
  BlockKey key{pc, max_insns, no_redirect};
  if (Translation* t = cache_.find(key)) return t;
  return translate(key);
}

Translation* Executor::translate(const BlockKey& key) {
  Redirect r = key.no_redirect ? Redirect{key.guest, RedirectKind::None}
                               : redirects_.lookup(key.guest);
  if (!GuestMemory::contains(r.to, kMaxBlockBytes)) return nullptr;
  BlockRequest request{key.guest, r.to, r.kind, key.max_insns,
                       /*chainable=*/!key.no_redirect};
  if (Translation* t = translate_into_cache(key, request)) return t;
  // The code cache is full.  Nothing runs now and no block is open, so
  // every translation and every clock record can go; the block is then
  // translated again, its clock record having gone with the others.
  cache_.flush();
  translator_.forget_all();
  Translation* t = translate_into_cache(key, request);
  UNSTUCK_CHECK_MSG(t != nullptr, "one translation exceeds the code cache");
  return t;
}

Translation* Executor::translate_into_cache(const BlockKey& key,
                                            const BlockRequest& request) {
  TranslatedBlock b = translator_.translate(request);
  return cache_.add(key, b.code, b.size, b.code_base, b.code_len,
                    b.guest_insns, request.chainable);
}

DispatchExit Executor::enter(const Translation& t, uint64_t left) {
  const uint32_t full = translator_.full_block_insns();
  const uint8_t* entry;
  if (chaining_ && t.chainable && !t.key.no_redirect &&
      t.key.max_insns == full && left >= full) {
    // Through the event check: this block is one of the `left / full`.
    // (The clock counts a run's instructions in 32 bits: clock_pass.h.)
    guest().host_EvC_COUNTER =
        static_cast<UInt>(std::min<uint64_t>(left, kMaxRunInstructions) / full);
    entry = t.host;
  } else {
    // This block alone: a chained or fast-table successor fails its check.
    guest().host_EvC_COUNTER = 0;
    entry = TranslationCache::fast_entry(t);
  }
  ++dispatches_;
  DispatchExit exit;
  timeline::begin_run(&guest());
  arm_fault_landing(&fault_landing_);
  unstuck_replay_enter(&exit, &state_->guest, entry);
  disarm_fault_landing();
  timeline::end_run(&clock_, &guest(), guest().guest_RIP);
  return exit;
}

std::optional<Stop> Executor::handle_exit(const DispatchExit& exit,
                                          uint64_t deadline) {
  if (watch_monitor_.pending()) return stop_with_watch_hit(exit);
  switch (exit.kind) {
    case ExitKind::ChainMeToSlowEP:
    case ExitKind::ChainMeToFastEP:
      maybe_chain(exit, deadline);
      return std::nullopt;
    case ExitKind::Indirect:
    case ExitKind::EventCheckFailed:
      return std::nullopt;
    case ExitKind::Assisted:
      return handle_assisted(exit.word);
  }
  UNSTUCK_UNREACHABLE("unknown dispatcher exit");
}

// Chains only while whole blocks fit before the deadline: near it, blocks
// are cut short and run one at a time anyway.  The jump always goes to the
// target's event check, even where VEX asked for the fast entry point
// (forward edges): every block entered must count against the bound.
void Executor::maybe_chain(const DispatchExit& exit, uint64_t deadline) {
  const uint32_t full = translator_.full_block_insns();
  if (!chaining_ || deadline - clock_.time < full) return;
  const uint64_t next = guest().guest_RIP;
  if (no_redirect_at_ == next || breakpoints_.contains(next)) return;
  Translation* target = block_at(next, full, /*no_redirect=*/false);
  if (target == nullptr) return;
  const void* chain_me =
      exit.kind == ExitKind::ChainMeToSlowEP
          ? reinterpret_cast<const void*>(&unstuck_replay_chain_me_to_slowEP)
          : reinterpret_cast<const void*>(&unstuck_replay_chain_me_to_fastEP);
  cache_.chain(reinterpret_cast<uint8_t*>(exit.word), chain_me, target);
}

std::optional<Stop> Executor::handle_assisted(uint64_t trc) {
  switch (trc) {
    case VEX_TRC_JMP_BORING:
    case VEX_TRC_JMP_FLUSHDCACHE:
      return std::nullopt;
    case VEX_TRC_JMP_NOREDIR:
      no_redirect_at_ = guest().guest_RIP;
      return std::nullopt;
    case VEX_TRC_JMP_INVALICACHE:
      invalidate(guest().guest_CMSTART, guest().guest_CMLEN);
      return std::nullopt;
    default:
      break;
  }
  StopReason reason = reason_for_trc(trc).value_or(StopReason::Other);
  return Stop{reason, trc, 0, {}};
}

}  // namespace unstuck::replay
