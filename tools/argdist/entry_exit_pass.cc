#include "tools/argdist/entry_exit_pass.h"

#include <stddef.h>

#include "shared/rt/check.h"
#include "shared/timeline/instruction_clock.h"
#include "tools/argdist/call_log.h"
#include "tools/argdist/call_tracker.h"
#include "tools/argdist/function_selection.h"

namespace unstuck::argdist {
namespace {

constexpr Int kRspOffset = offsetof(VexGuestAMD64State, guest_RSP);
constexpr Int kRaxOffset = offsetof(VexGuestAMD64State, guest_RAX);
constexpr Int kYmm0Offset = offsetof(VexGuestAMD64State, guest_YMM0);
constexpr Int kYmmSize = sizeof(U256);

void declare_read(IRDirty* d, Int offset, Int size, Int repeats = 0,
                  Int repeat_length = 0) {
  Int i = d->nFxState++;
  d->fxState[i].fx = Ifx_Read;
  d->fxState[i].offset = offset;
  d->fxState[i].size = size;
  d->fxState[i].nRepeats = repeats;
  d->fxState[i].repeatLen = repeat_length;
}

// The slow path's helper reads the integer registers (arguments and the
// stack pointer) and the low halves of xmm0-7 (floating-point arguments)
// from the guest state, which must therefore be up to date when it runs.
IRDirty* entry_call(FunctionRecord* function, ULong instructions_left) {
  IRDirty* d = unsafeIRDirty_0_N(
      0, "argdist_traced_entry", reinterpret_cast<void*>(&on_traced_entry),
      mkIRExprVec_3(IRExpr_GSPTR(), mkIRExpr_HWord(reinterpret_cast<HWord>(function)),
                    IRExpr_Const(IRConst_U64(instructions_left))));
  declare_read(d, kRaxOffset, 16 * sizeof(ULong));
  declare_read(d, kYmm0Offset, sizeof(ULong), 7, kYmmSize);
  return d;
}

IRTemp add_temp(IRSB* sb, IRType type, IRExpr* value) {
  IRTemp t = newIRTemp(sb->tyenv, type);
  addStmtToIRSB(sb, IRStmt_WrTmp(t, value));
  return t;
}

// (Flat IR: operands are temporaries or constants, so each expression
// goes into a temporary of its own.)
IRExpr* atom(IRSB* sb, IRType type, IRExpr* value) {
  return IRExpr_RdTmp(add_temp(sb, type, value));
}

IRExpr* constant(ULong value) { return IRExpr_Const(IRConst_U64(value)); }

IRExpr* word_at(IRSB* sb, const void* address) {
  return atom(sb, Ity_I64,
              IRExpr_Load(Iend_LE, Ity_I64, mkIRExpr_HWord(reinterpret_cast<HWord>(address))));
}

IRExpr* plus(IRSB* sb, IRExpr* base, ULong bytes) {
  return atom(sb, Ity_I64, IRExpr_Binop(Iop_Add64, base, constant(bytes)));
}

void add_store(IRSB* sb, IRExpr* address, IRExpr* value) {
  addStmtToIRSB(sb, IRStmt_Store(Iend_LE, address, value));
}

void add_store_at(IRSB* sb, const void* address, IRExpr* value) {
  add_store(sb, mkIRExpr_HWord(reinterpret_cast<HWord>(address)), value);
}

// The words of a logged entry (call_log.h), in order.
void entry_words_of(IRSB* sb, FunctionRecord* function, IRExpr* sp, ULong instructions_left,
                    IRExpr** words) {
  static constexpr Int kIntegerOffsets[kEntryIntegerWords] = {
      offsetof(VexGuestAMD64State, guest_RDI), offsetof(VexGuestAMD64State, guest_RSI),
      offsetof(VexGuestAMD64State, guest_RDX), offsetof(VexGuestAMD64State, guest_RCX),
      offsetof(VexGuestAMD64State, guest_R8),  offsetof(VexGuestAMD64State, guest_R9)};
  uint32_t n = 0;
  const HWord address = reinterpret_cast<HWord>(function);
  UNSTUCK_CHECK((address & kSseWordsMask) == 0);
  words[n++] = mkIRExpr_HWord(address | sse_words(*function));
  words[n++] = sp;
  words[n++] = atom(sb, Ity_I64, IRExpr_Load(Iend_LE, Ity_I64, sp));  // the return address
  words[n++] = atom(sb, Ity_I64, IRExpr_Binop(Iop_Sub64, timeline::now_expr(sb),
                                              constant(instructions_left)));
  for (Int offset : kIntegerOffsets) words[n++] = atom(sb, Ity_I64, IRExpr_Get(offset, Ity_I64));
  for (uint32_t k = 0; k < sse_words(*function); ++k)
    words[n++] = atom(sb, Ity_I64,
                      IRExpr_Get(kYmm0Offset + static_cast<Int>(k) * kYmmSize, Ity_I64));
}

// A field of g_call_log, from the base register `words`.
IRExpr* call_log_field(IRSB* sb, IRExpr* words, size_t offset) {
  return atom(sb, Ity_I64, IRExpr_Load(Iend_LE, Ity_I64, plus(sb, words, offset)));
}

void set_call_log_field(IRSB* sb, IRExpr* words, size_t offset, IRExpr* value) {
  add_store(sb, plus(sb, words, offset), value);
}

// A logged function's entry.  When it pops no frame and the mirror has
// room, the entry is logged and pushed onto the mirror inline: its stack
// pointer is below the top frame's (a plain call), or equal to it and not
// left by a call (the top frame's tail call, which the replay counts as
// such: a logged entry is never taken for a call).  Otherwise (an entry
// after a longjmp, by a call from the depth of a frame left) the slow
// path's helper runs, and the inline stores that follow are left
// uncommitted (the cursor and the depth do not move; what they wrote past
// them is overwritten later).
void add_logged_entry(IRSB* sb, FunctionRecord* function, ULong instructions_left) {
  IRExpr* words = word_at(sb, &g_call_log_address);
  IRExpr* sp = atom(sb, Ity_I64, IRExpr_Get(kRspOffset, Ity_I64));
  IRExpr* watch = call_log_field(sb, words, offsetof(CallLogWords, return_watch));
  IRExpr* below_top = atom(sb, Ity_I1, IRExpr_Binop(Iop_CmpLT64U, sp, watch));
  IRExpr* at_top = atom(sb, Ity_I1, IRExpr_Binop(Iop_CmpEQ64, sp, watch));
  IRExpr* jumped = atom(sb, Ity_I1, IRExpr_Binop(Iop_CmpNE64, sp,
      call_log_field(sb, words, offsetof(CallLogWords, last_call_sp))));
  IRExpr* tail_call = atom(sb, Ity_I1, IRExpr_Binop(Iop_And1, at_top, jumped));
  IRExpr* no_pop = atom(sb, Ity_I1, IRExpr_Binop(Iop_Or1, below_top, tail_call));
  IRExpr* room = atom(sb, Ity_I1, IRExpr_Binop(Iop_CmpLT64U,
      call_log_field(sb, words, offsetof(CallLogWords, mirror_depth)),
      call_log_field(sb, words, offsetof(CallLogWords, mirror_room))));
  IRExpr* push = atom(sb, Ity_I1, IRExpr_Binop(Iop_And1, no_pop, room));
  IRDirty* slow = entry_call(function, instructions_left);
  slow->guard = atom(sb, Ity_I1, IRExpr_Unop(Iop_Not1, push));
  addStmtToIRSB(sb, IRStmt_Dirty(slow));

  IRExpr* values[kMaxEntryWords];
  entry_words_of(sb, function, sp, instructions_left, values);
  const uint32_t count = entry_words(*function);
  // (The fields are read again: the slow path replays the log and moves them.)
  IRExpr* cursor = call_log_field(sb, words, offsetof(CallLogWords, cursor));
  add_store(sb, cursor, values[0]);
  for (uint32_t i = 1; i < count; ++i) add_store(sb, plus(sb, cursor, 8 * i), values[i]);
  IRExpr* next =
      atom(sb, Ity_I64, IRExpr_ITE(push, plus(sb, cursor, 8 * count), cursor));
  set_call_log_field(sb, words, offsetof(CallLogWords, cursor), next);

  IRExpr* depth = call_log_field(sb, words, offsetof(CallLogWords, mirror_depth));
  IRExpr* above = plus(sb, depth, 1);
  IRExpr* offset = atom(sb, Ity_I64, IRExpr_Binop(Iop_Shl64, above, IRExpr_Const(IRConst_U8(4))));
  IRExpr* slot = atom(sb, Ity_I64, IRExpr_Binop(
      Iop_Add64, call_log_field(sb, words, offsetof(CallLogWords, mirror)), offset));
  add_store(sb, slot, sp);
  add_store(sb, plus(sb, slot, 8), constant(0));
  set_call_log_field(sb, words, offsetof(CallLogWords, mirror_depth),
                     atom(sb, Ity_I64, IRExpr_ITE(push, above, depth)));
  IRExpr* old_watch = call_log_field(sb, words, offsetof(CallLogWords, return_watch));
  set_call_log_field(sb, words, offsetof(CallLogWords, return_watch),
                     atom(sb, Ity_I64, IRExpr_ITE(push, sp, old_watch)));
  set_call_log_field(sb, words, offsetof(CallLogWords, last_call_sp), constant(0));

  IRDirty* replay = unsafeIRDirty_0_N(0, "argdist_replay_call_log",
                                      reinterpret_cast<void*>(&replay_call_log), mkIRExprVec_0());
  IRExpr* limit = mkIRExpr_HWord(reinterpret_cast<HWord>(g_call_log.limit));
  replay->guard = atom(sb, Ity_I1, IRExpr_Binop(Iop_CmpLT64U, limit, next));
  addStmtToIRSB(sb, IRStmt_Dirty(replay));
}

void add_entry(IRSB* sb, FunctionRecord* function, ULong instructions_left) {
  if (logs_calls(*function))
    add_logged_entry(sb, function, instructions_left);
  else
    addStmtToIRSB(sb, IRStmt_Dirty(entry_call(function, instructions_left)));
}

// if (g_call_log.return_watch < RSP) on_passing_return(guest state, destination).
// (The helper reads the stack pointer and the result registers from the
// guest state: at the end of the superblock they are written back anyway,
// where passing them as arguments would load them after every ret.)
void add_return_check(IRSB* sb) {
  IRExpr* sp = atom(sb, Ity_I64, IRExpr_Get(kRspOffset, Ity_I64));
  IRExpr* watch = word_at(sb, &g_call_log.return_watch);
  IRExpr* passed = atom(sb, Ity_I1, IRExpr_Binop(Iop_CmpLT64U, watch, sp));
  IRDirty* d = unsafeIRDirty_0_N(
      0, "argdist_passing_return", reinterpret_cast<void*>(&on_passing_return),
      mkIRExprVec_2(IRExpr_GSPTR(), deepCopyIRExpr(sb->next)));
  d->guard = passed;
  declare_read(d, kRaxOffset, sizeof(ULong));
  declare_read(d, kRspOffset, sizeof(ULong));
  declare_read(d, kYmm0Offset, sizeof(ULong));
  addStmtToIRSB(sb, IRStmt_Dirty(d));
}

// g_call_log.last_call_sp = RSP, after the call pushed its return address.
void add_call_note(IRSB* sb) {
  add_store_at(sb, &g_call_log.last_call_sp, atom(sb, Ity_I64, IRExpr_Get(kRspOffset, Ity_I64)));
}

ULong count_instructions(const IRSB* sb) {
  ULong n = 0;
  for (Int i = 0; i < sb->stmts_used; ++i) n += sb->stmts[i]->tag == Ist_IMark;
  return n;
}

}  // namespace

IRSB* add_entry_exit_pass(IRSB* in, const VgCallbackClosure* closure) {
  prepare_selection(closure->nraddr);
  const bool redirected = closure->nraddr != closure->readdr;
  const ULong instructions = count_instructions(in);
  IRSB* out = deepCopyIRSBExceptStmts(in);
  ULong seen = 0;
  for (Int i = 0; i < in->stmts_used; ++i) {
    IRStmt* st = in->stmts[i];
    if (st->tag == Ist_IMark) {
      // A redirected superblock runs a replacement's code for the guest's
      // function at nraddr: only its start is an entry the guest made.
      Addr at = seen == 0 ? closure->nraddr : static_cast<Addr>(st->Ist.IMark.addr);
      if (seen == 0 || !redirected)
        if (FunctionRecord* f = traced_function_at(at))
          add_entry(out, f, instructions - seen);
      ++seen;
    }
    addStmtToIRSB(out, st);
  }
  if (in->jumpkind == Ijk_Ret) add_return_check(out);
  if (in->jumpkind == Ijk_Call) add_call_note(out);
  return out;
}

}  // namespace unstuck::argdist
