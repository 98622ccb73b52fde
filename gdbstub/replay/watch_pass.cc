#include "gdbstub/replay/watch_pass.h"

#include <cstddef>
#include <optional>
#include <vector>

#include "gdbstub/replay/guest_memory.h"
#include "gdbstub/replay/watch_monitor.h"
#include "gdbstub/replay/watch_set.h"

extern "C" {
#include "libvex_guest_amd64.h"
}

namespace unstuck::replay {
namespace {

// One memory access of a statement, as the check needs it.
struct CheckedAccess {
  IRExpr* address;  // an atom: the rebased (host) address
  uint64_t size;
  MemoryAccess kind;
  IRExpr* guard;  // null when the access always happens
};

IRExpr* real_guard(IRExpr* guard) {
  bool always = guard == nullptr ||
                (guard->tag == Iex_Const && guard->Iex.Const.con->Ico.U1);
  return always ? nullptr : guard;
}

uint64_t bytes_of(IRType type) { return static_cast<uint64_t>(sizeofIRType(type)); }

uint64_t size_of(const IRTypeEnv* env, const IRExpr* e) {
  return bytes_of(typeOfIRExpr(env, e));
}

uint64_t loaded_size(IRLoadGOp cvt) {
  IRType loaded = Ity_INVALID, widened = Ity_INVALID;
  typeOfIRLoadGOp(cvt, &loaded, &widened);
  return bytes_of(loaded);
}

MemoryAccess kind_of(IREffect effect) {
  switch (effect) {
    case Ifx_Read: return MemoryAccess::Read;
    case Ifx_Write: return MemoryAccess::Write;
    default: return MemoryAccess::ReadWrite;
  }
}

std::optional<CheckedAccess> dirty_access(const IRDirty* d) {
  if (d->mFx == Ifx_None) return std::nullopt;
  return CheckedAccess{d->mAddr, static_cast<uint64_t>(d->mSize),
                       kind_of(d->mFx), real_guard(d->guard)};
}

std::optional<CheckedAccess> llsc_access(const IRStmt* st,
                                         const IRTypeEnv* env) {
  if (st->Ist.LLSC.storedata == nullptr)
    return CheckedAccess{st->Ist.LLSC.addr,
                         bytes_of(typeOfIRTemp(env, st->Ist.LLSC.result)),
                         MemoryAccess::Read, nullptr};
  return CheckedAccess{st->Ist.LLSC.addr, size_of(env, st->Ist.LLSC.storedata),
                       MemoryAccess::Write, nullptr};
}

// A CAS counts as a write even when it fails, as the unlocked cmpxchg
// (which VEX lifts to a load and a store) and the CPU's own write cycle do.
CheckedAccess cas_access(const IRCAS* cas, const IRTypeEnv* env) {
  uint64_t size = size_of(env, cas->expdLo) * (cas->expdHi != nullptr ? 2 : 1);
  return {cas->addr, size, MemoryAccess::ReadWrite, nullptr};
}

std::optional<CheckedAccess> access_of(const IRStmt* st, const IRTypeEnv* env) {
  switch (st->tag) {
    case Ist_WrTmp: {
      const IRExpr* e = st->Ist.WrTmp.data;
      if (e->tag != Iex_Load) return std::nullopt;
      return CheckedAccess{e->Iex.Load.addr, bytes_of(e->Iex.Load.ty),
                           MemoryAccess::Read, nullptr};
    }
    case Ist_Store:
      return CheckedAccess{st->Ist.Store.addr, size_of(env, st->Ist.Store.data),
                           MemoryAccess::Write, nullptr};
    case Ist_LoadG: {
      const IRLoadG* g = st->Ist.LoadG.details;
      return CheckedAccess{g->addr, loaded_size(g->cvt), MemoryAccess::Read,
                           real_guard(g->guard)};
    }
    case Ist_StoreG: {
      const IRStoreG* g = st->Ist.StoreG.details;
      return CheckedAccess{g->addr, size_of(env, g->data), MemoryAccess::Write,
                           real_guard(g->guard)};
    }
    case Ist_CAS: return cas_access(st->Ist.CAS.details, env);
    case Ist_LLSC: return llsc_access(st, env);
    case Ist_Dirty: return dirty_access(st->Ist.Dirty.details);
    default: return std::nullopt;
  }
}

IRExpr* u64(uint64_t v) { return IRExpr_Const(IRConst_U64(v)); }

class Instrumenter {
 public:
  Instrumenter(IRSB* out, WatchSet& watches) : out_(out), watches_(watches) {}

  void add(IRStmt* st) {
    if (st->tag == Ist_IMark) exit_if_hit(st->Ist.IMark.addr);
    addStmtToIRSB(out_, st);
    if (std::optional<CheckedAccess> a = access_of(st, out_->tyenv)) check(*a);
  }

 private:
  IRExpr* bind(IRType type, IRExpr* e) {
    IRTemp t = newIRTemp(out_->tyenv, type);
    addStmtToIRSB(out_, IRStmt_WrTmp(t, e));
    return IRExpr_RdTmp(t);
  }

  IRExpr* binop(IRType type, IROp op, IRExpr* a, IRExpr* b) {
    return bind(type, IRExpr_Binop(op, a, b));
  }

  void check(const CheckedAccess& a) {
    std::vector<WatchRange> ranges = watches_.ranges_seen_by(a.kind);
    if (ranges.empty() || a.size == 0) return;
    IRExpr* maybe = ranges.size() <= kInlineWatchRanges
                        ? compare_with(ranges, a)
                        : look_up_pages(a);
    if (a.guard != nullptr)
      maybe = binop(Ity_I1, Iop_And1, maybe, deepCopyIRExpr(a.guard));
    IRExpr* answer = probe(a, deepCopyIRExpr(maybe));
    IRExpr* hit = bind(Ity_I64, IRExpr_ITE(maybe, answer, u64(0)));
    hits_ = hits_ == nullptr ? hit : binop(Ity_I64, Iop_Or64, hits_, hit);
  }

  // Exact: [g, g + size) overlaps [lo, lo + len) exactly when
  // g - (lo - size + 1) < len + size - 1, unsigned; g = host - kGuestBase.
  IRExpr* compare_with(const std::vector<WatchRange>& ranges,
                       const CheckedAccess& a) {
    IRExpr* any = nullptr;
    for (const WatchRange& r : ranges) {
      const uint64_t first = r.address - a.size + 1 + kGuestBase;
      IRExpr* offset = binop(Ity_I64, Iop_Sub64, deepCopyIRExpr(a.address), u64(first));
      IRExpr* inside = binop(Ity_I1, Iop_CmpLT64U, offset, u64(r.length + a.size - 1));
      any = any == nullptr ? inside : binop(Ity_I1, Iop_Or1, any, inside);
    }
    return any;
  }

  // A maybe: the access's first or last page is watched.  An access longer
  // than a page (none that VEX makes on amd64) is always probed.
  IRExpr* look_up_pages(const CheckedAccess& a) {
    if (a.size > kPageSize) return IRExpr_Const(IRConst_U1(True));
    IRExpr* guest = binop(Ity_I64, Iop_Sub64, deepCopyIRExpr(a.address), u64(kGuestBase));
    IRExpr* last = binop(Ity_I64, Iop_Add64, deepCopyIRExpr(guest), u64(a.size - 1));
    IRExpr* first_mark = page_mark(guest);
    IRExpr* last_mark = page_mark(last);
    IRExpr* either = binop(Ity_I64, Iop_Or64, first_mark, last_mark);
    return binop(Ity_I1, Iop_CmpNE64, either, u64(0));
  }

  // The map's byte for the page of `guest`, widened.  Generated code reads
  // the map at its host address: this pass runs after memory_rebase.
  IRExpr* page_mark(IRExpr* guest) {
    IRExpr* page = binop(Ity_I64, Iop_Shr64, guest,
                         IRExpr_Const(IRConst_U8(WatchPageMap::kPageBits)));
    IRExpr* index = binop(Ity_I64, Iop_And64, page, u64(WatchPageMap::kPages - 1));
    const auto map = reinterpret_cast<uint64_t>(watches_.pages().bytes());
    IRExpr* where = binop(Ity_I64, Iop_Add64, index, u64(map));
    IRExpr* byte = bind(Ity_I8, IRExpr_Load(Iend_LE, Ity_I8, where));
    return bind(Ity_I64, IRExpr_Unop(Iop_8Uto64, byte));
  }

  // The guarded call; its result is meaningless when the guard is false.
  IRExpr* probe(const CheckedAccess& a, IRExpr* guard) {
    IRTemp answer = newIRTemp(out_->tyenv, Ity_I64);
    IRDirty* d = unsafeIRDirty_1_N(
        answer, 0, kWatchProbeName, reinterpret_cast<void*>(&watch_probe_helper),
        mkIRExprVec_2(deepCopyIRExpr(a.address), u64(watch_probe_word(a.size, a.kind))));
    d->guard = guard;
    addStmtToIRSB(out_, IRStmt_Dirty(d));
    return IRExpr_RdTmp(answer);
  }

  // Before the next instruction: leave to it when this one hit.
  void exit_if_hit(Addr next) {
    if (hits_ == nullptr) return;
    IRExpr* taken = binop(Ity_I1, Iop_CmpNE64, hits_, u64(0));
    addStmtToIRSB(out_, IRStmt_Exit(taken, Ijk_Boring, IRConst_U64(next),
                                    offsetof(VexGuestAMD64State, guest_RIP)));
    hits_ = nullptr;
  }

  IRSB* out_;
  WatchSet& watches_;
  IRExpr* hits_ = nullptr;  // I64, nonzero when this instruction hit
};

}  // namespace

IRSB* add_watch_checks(IRSB* sb, WatchSet& watches) {
  if (watches.empty()) return sb;
  IRSB* out = deepCopyIRSBExceptStmts(sb);
  Instrumenter instrumenter(out, watches);
  for (Int i = 0; i < sb->stmts_used; ++i) instrumenter.add(sb->stmts[i]);
  return out;
}

}  // namespace unstuck::replay
