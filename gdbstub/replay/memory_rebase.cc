#include "gdbstub/replay/memory_rebase.h"

#include <cstdio>
#include <cstring>

#include "shared/rt/check.h"

namespace unstuck::replay {
namespace {

// VEX's amd64 dirty helpers that access guest memory, and which argument
// holds the guest address (the others are the guest state pointer or data).
struct MemoryHelper {
  const char* name;
  int address_arg;
};

const MemoryHelper kMemoryHelpers[] = {
    {"amd64g_dirtyhelper_FLDENV", 1},
    {"amd64g_dirtyhelper_FSTENV", 1},
    {"amd64g_dirtyhelper_FRSTOR", 1},
    {"amd64g_dirtyhelper_FRSTORS", 1},
    {"amd64g_dirtyhelper_FNSAVE", 1},
    {"amd64g_dirtyhelper_FNSAVES", 1},
    {"amd64g_dirtyhelper_XSAVE_COMPONENT_0", 1},
    {"amd64g_dirtyhelper_XSAVE_COMPONENT_1_EXCLUDING_XMMREGS", 1},
    {"amd64g_dirtyhelper_XRSTOR_COMPONENT_0", 1},
    {"amd64g_dirtyhelper_XRSTOR_COMPONENT_1_EXCLUDING_XMMREGS", 1},
    {"amd64g_dirtyhelper_loadF80le", 0},
    {"amd64g_dirtyhelper_storeF80le", 0},
    {"amd64g_dirtyhelper_SxDT", 0},
};

int address_argument(const char* helper) {
  for (const MemoryHelper& h : kMemoryHelpers)
    if (std::strcmp(h.name, helper) == 0) return h.address_arg;
  static char message[200];
  std::snprintf(message, sizeof message,
                "dirty helper %s accesses guest memory but the replayer does "
                "not know which argument is the address",
                helper);
  UNSTUCK_CHECK_MSG(false, message);
  return -1;
}

class Rebaser {
 public:
  Rebaser(IRSB* out, uint64_t base) : out_(out), base_(base) {}

  // Emits `t = Add64(address, base)` and returns t as an atom.
  IRExpr* rebased(IRExpr* address) {
    UNSTUCK_CHECK(isIRAtom(address));
    IRTemp t = newIRTemp(out_->tyenv, Ity_I64);
    addStmtToIRSB(out_, IRStmt_WrTmp(t, IRExpr_Binop(Iop_Add64, address,
                                                     IRExpr_Const(IRConst_U64(
                                                         base_)))));
    return IRExpr_RdTmp(t);
  }

  void rewrite(IRStmt* st) {
    switch (st->tag) {
      case Ist_WrTmp:
        if (st->Ist.WrTmp.data->tag == Iex_Load)
          st->Ist.WrTmp.data->Iex.Load.addr =
              rebased(st->Ist.WrTmp.data->Iex.Load.addr);
        break;
      case Ist_Store:
        st->Ist.Store.addr = rebased(st->Ist.Store.addr);
        break;
      case Ist_StoreG:
        st->Ist.StoreG.details->addr = rebased(st->Ist.StoreG.details->addr);
        break;
      case Ist_LoadG:
        st->Ist.LoadG.details->addr = rebased(st->Ist.LoadG.details->addr);
        break;
      case Ist_CAS:
        st->Ist.CAS.details->addr = rebased(st->Ist.CAS.details->addr);
        break;
      case Ist_LLSC:
        st->Ist.LLSC.addr = rebased(st->Ist.LLSC.addr);
        break;
      case Ist_Dirty:
        rewrite_dirty(st->Ist.Dirty.details);
        break;
      default:
        break;
    }
    addStmtToIRSB(out_, st);
  }

 private:
  void rewrite_dirty(IRDirty* d) {
    if (d->mFx == Ifx_None) return;
    int arg = address_argument(d->cee->name);
    int count = 0;
    while (d->args[count] != nullptr) ++count;
    UNSTUCK_CHECK(arg < count);
    d->args[arg] = rebased(d->args[arg]);
    d->mAddr = rebased(d->mAddr);
  }

  IRSB* out_;
  uint64_t base_;
};

}  // namespace

IRSB* rebase_guest_memory(IRSB* sb, uint64_t base) {
  IRSB* out = deepCopyIRSBExceptStmts(sb);
  Rebaser rebaser(out, base);
  for (Int i = 0; i < sb->stmts_used; ++i) rebaser.rewrite(sb->stmts[i]);
  return out;
}

}  // namespace unstuck::replay
