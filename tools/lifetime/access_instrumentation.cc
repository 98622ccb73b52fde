#include "tools/lifetime/access_instrumentation.h"

#include <stddef.h>

#include "shared/rt/vector.h"
#include "shared/shadow/shadow_ir.h"
#include "shared/vex/ir_facts.h"
#include "tools/lifetime/access_recording.h"
#include "tools/lifetime/functions.h"

namespace unstuck::lifetime {
namespace {

// The inline check handles accesses up to this size; larger ones (FXSAVE,
// XSAVE and the like) call the helper unconditionally.
constexpr int kMaxInlineCheck = 64;

// Addresses computed as the stack pointer plus a constant are stack
// accesses (pushes, pops, calls, spills, locals): no heap object lives
// there, so they are not checked at all.  (A program that runs on a stack
// carved from the heap, a coroutine's or an alternate signal stack, has
// those accesses left out, as DHAT leaves out accesses near the stack
// pointer.)
class StackAddresses {
 public:
  explicit StackAddresses(const IRSB* sb) { derived_.resize(sb->tyenv->types_used); }

  void note(const IRStmt* st) {
    if (st->tag != Ist_WrTmp) return;
    const IRExpr* e = st->Ist.WrTmp.data;
    bool stack = false;
    if (e->tag == Iex_Get)
      stack = e->Iex.Get.offset == kStackPointer && e->Iex.Get.ty == Ity_I64;
    else if (e->tag == Iex_Binop &&
             (e->Iex.Binop.op == Iop_Add64 || e->Iex.Binop.op == Iop_Sub64))
      stack = is_stack(e->Iex.Binop.arg1) && e->Iex.Binop.arg2->tag == Iex_Const;
    derived_[st->Ist.WrTmp.tmp] = stack;
  }

  bool is_stack(const IRExpr* addr) const {
    return addr->tag == Iex_RdTmp && derived_[addr->Iex.RdTmp.tmp];
  }

 private:
  static constexpr Int kStackPointer = offsetof(VexGuestAMD64State, guest_RSP);
  Vector<bool> derived_;
};

class Instrumenter {
 public:
  Instrumenter(IRSB* in, ObjectMap& map)
      : in_(in), out_(deepCopyIRSBExceptStmts(in)), ir_(out_, map.view()),
        stack_(in) {
    for (Int i = 0; i < in->stmts_used; ++i)
      if (in->stmts[i]->tag == Ist_IMark) ++instructions_;
  }

  IRSB* run() {
    for (Int i = 0; i < in_->stmts_used; ++i) {
      IRStmt* st = in_->stmts[i];
      if (st->tag == Ist_IMark) {
        ++seen_;
        address_ = (Addr)st->Ist.IMark.addr;
        function_known_ = false;
      } else if (seen_ > 0) {
        instrument(st);
      }
      stack_.note(st);
      addStmtToIRSB(out_, st);
    }
    return out_;
  }

 private:
  void instrument(IRStmt* st) {
    IRTypeEnv* types = in_->tyenv;
    switch (st->tag) {
      case Ist_WrTmp:
        if (st->Ist.WrTmp.data->tag == Iex_Load) {
          const IRExpr* load = st->Ist.WrTmp.data;
          check(load->Iex.Load.addr, sizeofIRType(load->Iex.Load.ty), false, nullptr);
        }
        break;
      case Ist_Store:
        check(st->Ist.Store.addr,
              sizeofIRType(typeOfIRExpr(types, st->Ist.Store.data)), true, nullptr);
        break;
      case Ist_StoreG: {
        const IRStoreG* store = st->Ist.StoreG.details;
        check(store->addr, sizeofIRType(typeOfIRExpr(types, store->data)), true,
              store->guard);
        break;
      }
      case Ist_LoadG: {
        const IRLoadG* load = st->Ist.LoadG.details;
        check(load->addr, vex::loaded_bytes(load->cvt), false, load->guard);
        break;
      }
      case Ist_Dirty: {
        const IRDirty* d = st->Ist.Dirty.details;
        if (d->mFx == Ifx_Read || d->mFx == Ifx_Modify)
          check(d->mAddr, d->mSize, false, d->guard);
        if (d->mFx == Ifx_Write || d->mFx == Ifx_Modify)
          check(d->mAddr, d->mSize, true, d->guard);
        break;
      }
      case Ist_CAS: {
        const IRCAS* cas = st->Ist.CAS.details;
        int size = sizeofIRType(typeOfIRExpr(types, cas->dataLo));
        if (cas->dataHi != nullptr) size *= 2;
        check(cas->addr, size, false, nullptr);
        check(cas->addr, size, true, nullptr);
        break;
      }
      case Ist_LLSC: {
        const bool is_store = st->Ist.LLSC.storedata != nullptr;
        IRType type = is_store ? typeOfIRExpr(types, st->Ist.LLSC.storedata)
                               : typeOfIRTemp(types, st->Ist.LLSC.result);
        check(st->Ist.LLSC.addr, sizeofIRType(type), is_store, nullptr);
        break;
      }
      default:
        break;
    }
  }

  // if (guard && the access touches an object) helper(addr, packed)
  // A constant address is a global's (RIP-relative addressing gives
  // constants once VEX knows the instruction's address): no heap block
  // lives there, so such accesses are not checked either.
  void check(IRExpr* addr, int size, bool is_write, IRExpr* guard) {
    if (size <= 0 || addr->tag == Iex_Const || stack_.is_stack(addr)) return;
    IRExpr* touches = size <= kMaxInlineCheck
                          ? ir_.negate(ir_.all_default(addr, size))
                          : IRExpr_Const(IRConst_U1(True));
    if (guard != nullptr && !is_true(guard))
      touches = ir_.bind(IRExpr_Binop(Iop_And1, deepCopyIRExpr(guard), touches));
    const uint32_t left = instructions_ - seen_ + 1;
    IRExpr** args = mkIRExprVec_2(
        deepCopyIRExpr(addr),
        mkIRExpr_HWord(pack_access(static_cast<uint32_t>(size), left, function())));
    if (is_write)
      ir_.call_if(touches, "lifetime_on_store", reinterpret_cast<void*>(&on_store),
                  args, false);
    else
      ir_.call_if(touches, "lifetime_on_load", reinterpret_cast<void*>(&on_load),
                  args, false);
  }

  static bool is_true(const IRExpr* e) {
    return e->tag == Iex_Const && e->Iex.Const.con->tag == Ico_U1 &&
           e->Iex.Const.con->Ico.U1;
  }

  uint32_t function() {
    if (!function_known_) {
      function_ = function_at(address_);
      function_known_ = true;
    }
    return function_;
  }

  IRSB* in_;
  IRSB* out_;
  shadow::ShadowIR ir_;
  StackAddresses stack_;
  uint32_t instructions_ = 0;  // IMarks in the superblock
  uint32_t seen_ = 0;          // IMarks so far
  Addr address_ = 0;
  uint32_t function_ = 0;
  bool function_known_ = false;
};

}  // namespace

IRSB* instrument_accesses(IRSB* in, ObjectMap& map) {
  return Instrumenter(in, map).run();
}

}  // namespace unstuck::lifetime
