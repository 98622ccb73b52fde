#include "tools/argdist/entry_exit_pass.h"

#include <stddef.h>

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

// The helper reads the integer registers (arguments and the stack
// pointer) and the low halves of xmm0-7 (floating-point arguments) from
// the guest state, which must therefore be up to date when it runs.
void add_entry_call(IRSB* sb, FunctionRecord* function, ULong instructions_left) {
  IRDirty* d = unsafeIRDirty_0_N(
      0, "argdist_traced_entry", reinterpret_cast<void*>(&on_traced_entry),
      mkIRExprVec_3(IRExpr_GSPTR(), mkIRExpr_HWord(reinterpret_cast<HWord>(function)),
                    IRExpr_Const(IRConst_U64(instructions_left))));
  declare_read(d, kRaxOffset, 16 * sizeof(ULong));
  declare_read(d, kYmm0Offset, sizeof(ULong), 7, kYmmSize);
  addStmtToIRSB(sb, IRStmt_Dirty(d));
}

IRTemp add_temp(IRSB* sb, IRType type, IRExpr* value) {
  IRTemp t = newIRTemp(sb->tyenv, type);
  addStmtToIRSB(sb, IRStmt_WrTmp(t, value));
  return t;
}

// if (g_return_watch < RSP) on_passing_return(guest state, destination)
void add_return_check(IRSB* sb) {
  IRTemp watch = add_temp(sb, Ity_I64,
                          IRExpr_Load(Iend_LE, Ity_I64,
                                      mkIRExpr_HWord(reinterpret_cast<HWord>(&g_return_watch))));
  IRTemp sp = add_temp(sb, Ity_I64, IRExpr_Get(kRspOffset, Ity_I64));
  IRTemp passed = add_temp(sb, Ity_I1, IRExpr_Binop(Iop_CmpLT64U, IRExpr_RdTmp(watch),
                                                    IRExpr_RdTmp(sp)));
  IRDirty* d = unsafeIRDirty_0_N(
      0, "argdist_passing_return", reinterpret_cast<void*>(&on_passing_return),
      mkIRExprVec_2(IRExpr_GSPTR(), deepCopyIRExpr(sb->next)));
  d->guard = IRExpr_RdTmp(passed);
  declare_read(d, kRaxOffset, sizeof(ULong));
  declare_read(d, kRspOffset, sizeof(ULong));
  declare_read(d, kYmm0Offset, sizeof(ULong));
  addStmtToIRSB(sb, IRStmt_Dirty(d));
}

// g_last_call_sp = RSP, after the call pushed its return address.
void add_call_note(IRSB* sb) {
  IRTemp sp = add_temp(sb, Ity_I64, IRExpr_Get(kRspOffset, Ity_I64));
  addStmtToIRSB(sb, IRStmt_Store(Iend_LE, mkIRExpr_HWord(reinterpret_cast<HWord>(&g_last_call_sp)),
                                 IRExpr_RdTmp(sp)));
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
          add_entry_call(out, f, instructions - seen);
      ++seen;
    }
    addStmtToIRSB(out, st);
  }
  if (in->jumpkind == Ijk_Ret) add_return_check(out);
  if (in->jumpkind == Ijk_Call) add_call_note(out);
  return out;
}

}  // namespace unstuck::argdist
