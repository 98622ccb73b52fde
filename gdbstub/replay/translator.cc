#include "gdbstub/replay/translator.h"

#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "gdbstub/replay/dispatcher.h"
#include "gdbstub/replay/guest_memory.h"
#include "gdbstub/replay/memory_rebase.h"
#include "gdbstub/replay/nondet_helpers.h"
#include "gdbstub/replay/watch_pass.h"
#include "gdbstub/replay/watch_set.h"
#include "shared/rt/check.h"

extern "C" {
#include "libvex_guest_amd64.h"

// VEX's control block; LibVEX_Init copies its argument here.  Written before
// each translation: guest_max_insns varies per block.
extern VexControl vex_control;
}

namespace unstuck::replay {
namespace {

// Valgrind's own bound on one translation's host code (m_translate.c).
constexpr size_t kMaxHostBytes = 65000;

[[noreturn]] void vex_failed() {
  std::fputs("unstuck replay: VEX failed (its message is above); stopping\n",
             stderr);
  std::abort();
}

void vex_log(const HChar* bytes, SizeT n) {
  std::fwrite(bytes, 1, n, stderr);
}

// LibVEX_Init may run once per process.  Later translators may bring other
// settings: translate() writes the whole control block before each block.
void initialise_vex_once(const VexControl& control) {
  static bool done = false;
  if (done) return;
  // 1: the sanity-checking level Valgrind runs VEX with.
  LibVEX_Init(&vex_failed, &vex_log, 1, &control);
  done = true;
}

}  // namespace

Translator::Translator(const VexConfig& config, timeline::ClockState* clock,
                       TranslationConditions conditions)
    : config_(config),
      clock_(clock),
      conditions_(conditions),
      output_(kMaxHostBytes) {
  UNSTUCK_CHECK(clock != nullptr);
  UNSTUCK_CHECK_MSG(!config.control.guest_chase,
                    "replay needs translations without chasing: the clock "
                    "would count speculated instructions");
  UNSTUCK_CHECK(config.control.guest_max_insns >= 1 &&
                config.control.guest_max_insns <= 100);
  initialise_vex_once(config.control);
  LibVEX_default_VexArchInfo(&host_arch_);
  host_arch_.endness = VexEndnessLE;
  host_arch_.hwcaps = host_hwcaps();
}

IRSB* Translator::instrument(void* self, IRSB* sb, const VexGuestLayout*,
                             const VexGuestExtents*, const VexArchInfo*,
                             IRType, IRType) {
  Translator* t = static_cast<Translator*>(self);
  sb = rebase_guest_memory(sb, kGuestBase);
  replace_nondet_helpers(sb);
  if (t->watching()) sb = add_watch_checks(sb, *t->conditions_.watches);
  return timeline::add_clock_pass(sb, t->current_->guest_address, t->clock_, &t->shapes_);
}

// Valgrind's preambles for redirected blocks: NRADDR is 0 in a replacement
// and the unredirected address in a wrapper.
Bool Translator::add_preamble(void* self, IRSB* sb) {
  const BlockRequest& r = *static_cast<Translator*>(self)->current_;
  if (r.redirect == RedirectKind::None) return False;
  const uint64_t nraddr = r.redirect == RedirectKind::Wrap ? r.guest_address : 0;
  addStmtToIRSB(sb, IRStmt_Put(offsetof(VexGuestAMD64State, guest_NRADDR),
                               IRExpr_Const(IRConst_U64(nraddr))));
  return False;  // go on and lift the block
}

// Self-modifying code is caught by write-protecting code pages instead.
// This is also where VEX lets the caller choose the register-update mode:
// the watch pass's exits between instructions need every register up to
// date there (watch_pass.h).  Without watchpoints the recorder's mode stays.
UInt Translator::no_self_check(void* self, VexRegisterUpdates* updates,
                               const VexGuestExtents*) {
  if (static_cast<Translator*>(self)->watching())
    *updates = VexRegUpdAllregsAtEachInsn;
  return 0;
}

bool Translator::watching() const {
  return conditions_.watches != nullptr && !conditions_.watches->empty();
}

Bool Translator::never_chase(void*, Addr) { return False; }

VexTranslateArgs Translator::arguments(const BlockRequest& request,
                                       VexGuestExtents* extents, Int* used) {
  VexTranslateArgs a{};
  a.arch_guest = VexArchAMD64;
  a.archinfo_guest = config_.guest_arch;
  a.arch_host = VexArchAMD64;
  a.archinfo_host = host_arch_;
  a.abiinfo_both = config_.abi;
  a.callback_opaque = this;
  a.guest_bytes = GuestMemory::host(request.code_address);
  a.guest_bytes_addr = request.code_address;
  a.chase_into_ok = &never_chase;
  a.guest_extents = extents;
  a.host_bytes = output_.data();
  a.host_bytes_size = static_cast<Int>(output_.size());
  a.host_bytes_used = used;
  a.instrument1 = &instrument;
  a.instrument2 = nullptr;
  a.finaltidy = nullptr;
  a.needs_self_check = &no_self_check;
  a.preamble_function = &add_preamble;
  a.traceflags = trace_flags_;
  a.sigill_diag = False;
  a.addProfInc = False;
  if (request.chainable) {
    a.disp_cp_chain_me_to_slowEP =
        reinterpret_cast<const void*>(&unstuck_replay_chain_me_to_slowEP);
    a.disp_cp_chain_me_to_fastEP =
        reinterpret_cast<const void*>(&unstuck_replay_chain_me_to_fastEP);
    a.disp_cp_xindir = reinterpret_cast<const void*>(&unstuck_replay_xindir);
  }
  a.disp_cp_xassisted =
      reinterpret_cast<const void*>(&unstuck_replay_xassisted);
  return a;
}

// The request's limit, or fewer when a breakpoint lies inside the block:
// then the instructions before it.  Only blocks whose bytes could reach a
// breakpoint are lifted twice.
uint32_t Translator::instructions_to_lift(const BlockRequest& request) {
  const BreakpointSet* breakpoints = conditions_.breakpoints;
  if (request.max_insns == 1 || breakpoints == nullptr ||
      !breakpoints->any_in(request.code_address + 1,
                           request.code_address + kMaxBlockBytes))
    return request.max_insns;
  return instructions_before_breakpoint(request);
}

// Lifts the block (front end only) and counts its instructions up to the
// first one, past the first, at a breakpoint.  The first is the block's
// entry, which the executor checks itself (by the entry address, as the
// guest's program counter names it even in a redirected block).
uint32_t Translator::instructions_before_breakpoint(const BlockRequest& request) {
  vex_control = config_.control;
  vex_control.guest_max_insns = static_cast<Int>(request.max_insns);
  VexGuestExtents extents{};
  Int used = 0;
  VexTranslateArgs args = arguments(request, &extents, &used);
  VexTranslateResult result{};
  VexRegisterUpdates updates = VexRegUpd_INVALID;
  current_ = &request;
  IRSB* sb = LibVEX_FrontEnd(&args, &result, &updates);
  current_ = nullptr;
  UNSTUCK_CHECK_MSG(sb != nullptr, "LibVEX_FrontEnd failed");
  uint32_t seen = 0;
  for (Int i = 0; i < sb->stmts_used; ++i) {
    const IRStmt* st = sb->stmts[i];
    if (st->tag != Ist_IMark) continue;
    if (seen > 0 && conditions_.breakpoints->contains(st->Ist.IMark.addr))
      return seen;
    ++seen;
  }
  return request.max_insns;
}

TranslatedBlock Translator::translate(const BlockRequest& request) {
  UNSTUCK_CHECK(request.max_insns >= 1 && request.max_insns <= 100);
  UNSTUCK_CHECK(GuestMemory::contains(request.code_address, 1));
  const uint32_t limit = instructions_to_lift(request);
  vex_control = config_.control;
  vex_control.guest_max_insns = static_cast<Int>(limit);

  VexGuestExtents extents{};
  Int used = 0;
  VexTranslateArgs args = arguments(request, &extents, &used);
  current_ = &request;
  VexTranslateResult result = LibVEX_Translate(&args);
  current_ = nullptr;
  UNSTUCK_CHECK_MSG(result.status == VexTranslateResult::VexTransOK, "LibVEX_Translate failed");
  UNSTUCK_CHECK(extents.n_used == 1);
  UNSTUCK_CHECK(used > 0 && static_cast<size_t>(used) <= output_.size());
  UNSTUCK_CHECK(result.n_guest_instrs <= limit);
  return {output_.data(), static_cast<uint32_t>(used), extents.base[0],
          extents.len[0], result.n_guest_instrs};
}

void Translator::forget_all() {
  timeline::forget_shapes(clock_);
  shapes_.release_all();
}

}  // namespace unstuck::replay
