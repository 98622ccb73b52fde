#include "shared/timeline/clock_pass.h"

#include "shared/rt/arena.h"
#include "shared/rt/check.h"

namespace unstuck::timeline {
namespace {

IRExpr* address_of(const void* p) { return mkIRExpr_HWord((HWord)p); }

constexpr Int kRunCountOffset = offsetof(VexGuestAMD64State, pad0);
constexpr Int kFinishedAtOffset = offsetof(VexGuestAMD64State, pad1);
constexpr Int kOpenShapeOffset = offsetof(VexGuestAMD64State, pad3);
// pad1 before any superblock finished in the run: never a count.
constexpr UInt kNoneFinished = ~0u;

IRTemp add_temp(IRSB* sb, IRType type, IRExpr* value) {
  IRTemp t = newIRTemp(sb->tyenv, type);
  addStmtToIRSB(sb, IRStmt_WrTmp(t, value));
  return t;
}

// Counts the block's instructions on entry and names its shape; returns
// the temporary holding the run's count after it (pad0 from then on).
IRTemp add_entry(IRSB* sb, uint32_t count, uint32_t shape_id) {
  IRTemp before = add_temp(sb, Ity_I32, IRExpr_Get(kRunCountOffset, Ity_I32));
  IRTemp after = add_temp(sb, Ity_I32, IRExpr_Binop(Iop_Add32, IRExpr_RdTmp(before),
                                                    IRExpr_Const(IRConst_U32(count))));
  addStmtToIRSB(sb, IRStmt_Put(kRunCountOffset, IRExpr_RdTmp(after)));
  addStmtToIRSB(sb, IRStmt_Put(kOpenShapeOffset, IRExpr_Const(IRConst_U64(ULong{shape_id} + 1))));
  return after;
}

// Leaving after `retired` of the block's `count` instructions (when
// `guard` holds, if given): the ones counted on entry that did not retire
// come off the time.
void add_exit_time(IRSB* sb, ClockState* clock, uint32_t retired, uint32_t count,
                   IRExpr* guard) {
  if (retired == count) return;
  IRTemp time = add_temp(sb, Ity_I64, IRExpr_Load(Iend_LE, Ity_I64, address_of(&clock->time)));
  IRExpr* less = IRExpr_RdTmp(add_temp(
      sb, Ity_I64, IRExpr_Binop(Iop_Sub64, IRExpr_RdTmp(time),
                                IRExpr_Const(IRConst_U64(count - retired)))));
  IRExpr* at = address_of(&clock->time);
  addStmtToIRSB(sb, guard == nullptr ? IRStmt_Store(Iend_LE, at, less)
                                     : IRStmt_StoreG(Iend_LE, at, less, guard));
}

// Marks the block finished when it leaves (when `guard` holds, if given).
void add_finish_mark(IRSB* sb, IRTemp count_after_entry, IRExpr* guard) {
  IRExpr* mark = IRExpr_RdTmp(count_after_entry);
  if (guard != nullptr) {
    IRTemp old = add_temp(sb, Ity_I32, IRExpr_Get(kFinishedAtOffset, Ity_I32));
    mark = IRExpr_RdTmp(add_temp(sb, Ity_I32, IRExpr_ITE(guard, mark, IRExpr_RdTmp(old))));
  }
  addStmtToIRSB(sb, IRStmt_Put(kFinishedAtOffset, mark));
}

void add_store(IRSB* sb, const void* where, IRExpr* value) {
  addStmtToIRSB(sb, IRStmt_Store(Iend_LE, address_of(where), value));
}

bool is_integer_division(IROp op) {
  return op >= Iop_DivU32 && op <= Iop_DivModU32to32;
}

bool statement_divides(const IRStmt* st) {
  if (st->tag != Ist_WrTmp) return false;
  const IRExpr* e = st->Ist.WrTmp.data;  // flat IR: operands are atoms
  return e->tag == Iex_Binop && is_integer_division(e->Iex.Binop.op);
}

// Jump kinds by which an instruction hands itself to the signal machinery
// without completing.  Taken with the instruction's own address as target,
// that instruction did not retire (int3, by contrast, targets the next one).
bool abandons_instruction(IRJumpKind kind) {
  switch (kind) {
    case Ijk_NoDecode: case Ijk_SigILL: case Ijk_SigTRAP: case Ijk_SigSEGV:
    case Ijk_SigBUS: case Ijk_SigFPE: case Ijk_SigFPE_IntDiv:
    case Ijk_SigFPE_IntOvf: case Ijk_EmFail: case Ijk_MapFail:
      return true;
    default:
      return false;
  }
}

Addr constant_target(const IRConst* c) {
  return c->tag == Ico_U64 ? (Addr)c->Ico.U64 : (Addr)-1;
}

Addr constant_target(const IRExpr* e) {
  return e->tag == Iex_Const ? constant_target(e->Iex.Const.con) : (Addr)-1;
}

constexpr uint32_t kNotInBlock = ~uint32_t{0};

// The index of the instruction at `address` in the superblock, 0 for its
// entry address (only the first instruction of a redirected superblock
// can fault before the program counter names an instruction of the block),
// or kNotInBlock.
uint32_t index_of(const SuperblockShape& shape, Addr address) {
  for (uint32_t i = 0; i < shape.count; ++i)
    if (shape.instruction_addresses[i] == address) return i;
  return address == shape.entered_at ? 0 : kNotInBlock;
}

// Leaving by an exit of `kind` to `target` ((Addr)-1: not a constant), the
// program counter may name an instruction of the same superblock (or its
// entry): a jump back into it, an unknown target, or a kind of exit after
// which the core may move the program counter (a syscall restarted, a
// signal).
bool may_land_inside(const SuperblockShape& shape, IRJumpKind kind, Addr target) {
  if (kind != Ijk_Boring && kind != Ijk_Call) return true;
  if (target == (Addr)-1) return true;
  return index_of(shape, target) != kNotInBlock;
}


// Instructions retired when leaving after `seen` instructions through an
// exit of `kind` to `target`.
uint32_t retired_at_exit(const SuperblockShape& shape, uint32_t seen,
                         IRJumpKind kind, Addr target) {
  if (seen > 0 && abandons_instruction(kind) &&
      shape.instruction_addresses[seen - 1] == target)
    return seen - 1;
  return seen;
}

SuperblockShape* measure(const IRSB* sb, Addr entered_at, Arena* shapes) {
  uint32_t count = 0;
  for (Int i = 0; i < sb->stmts_used; ++i)
    if (sb->stmts[i]->tag == Ist_IMark) ++count;
  SuperblockShape* shape = shapes->make<SuperblockShape>();
  shape->count = count;
  shape->instruction_addresses = shapes->make_array<Addr>(count);
  shape->entered_at = entered_at;
  uint32_t k = 0;
  for (Int i = 0; i < sb->stmts_used; ++i)
    if (sb->stmts[i]->tag == Ist_IMark)
      shape->instruction_addresses[k++] = (Addr)sb->stmts[i]->Ist.IMark.addr;
  return shape;
}

bool any_division(const IRSB* sb) {
  for (Int i = 0; i < sb->stmts_used; ++i)
    if (statement_divides(sb->stmts[i])) return true;
  return false;
}

}  // namespace

IRSB* add_clock_pass(IRSB* in, Addr entered_at, ClockState* clock, Arena* shapes) {
  const SuperblockShape* shape = measure(in, entered_at, shapes);
  const bool divides = any_division(in);
  IRSB* out = deepCopyIRSBExceptStmts(in);

  const uint32_t id = static_cast<uint32_t>(clock->shapes->size());
  UNSTUCK_CHECK_MSG(id < (1u << 31) - 1, "too many superblock shapes");
  clock->shapes->push_back(shape);
  IRTemp counted = add_entry(out, shape->count, id);
  if (divides) add_store(out, &clock->last_division, mkIRExpr_HWord(0));

  uint32_t seen = 0;
  for (Int i = 0; i < in->stmts_used; ++i) {
    IRStmt* st = in->stmts[i];
    if (st->tag == Ist_IMark) ++seen;
    if (divides && statement_divides(st))
      add_store(out, &clock->last_division,
                address_of(&shape->instruction_addresses[seen - 1]));
    if (st->tag == Ist_Exit) {
      IRExpr* guard = st->Ist.Exit.guard;
      const Addr target = constant_target(st->Ist.Exit.dst);
      uint32_t retired = retired_at_exit(*shape, seen, st->Ist.Exit.jk, target);
      add_exit_time(out, clock, retired, shape->count, deepCopyIRExpr(guard));
      if (may_land_inside(*shape, st->Ist.Exit.jk, target))
        add_finish_mark(out, counted, deepCopyIRExpr(guard));
    }
    addStmtToIRSB(out, st);
  }

  const Addr target = constant_target(in->next);
  uint32_t retired = retired_at_exit(*shape, seen, in->jumpkind, target);
  add_exit_time(out, clock, retired, shape->count, nullptr);
  if (may_land_inside(*shape, in->jumpkind, target)) add_finish_mark(out, counted, nullptr);
  return out;
}

void begin_run(VexGuestAMD64State* guest) {
  guest->pad0 = 0;
  guest->pad1 = kNoneFinished;
  guest->pad3 = 0;
}

void end_run(ClockState* clock, VexGuestAMD64State* guest, Addr pc) {
  settle_interrupted_superblock(clock, guest, pc);
  clock->time += guest->pad0;
  clear_clock_words(guest);
}

void settle_interrupted_superblock(ClockState* clock, VexGuestAMD64State* guest, Addr pc) {
  const ULong open = guest->pad3;
  guest->pad3 = 0;
  const Addr* division = clock->last_division;
  clock->last_division = nullptr;
  // None open, or it finished through an exit that may lead back into it.
  if (open == 0 || guest->pad1 == guest->pad0) return;
  UNSTUCK_CHECK(open - 1 < clock->shapes->size());
  const SuperblockShape* shape = (*clock->shapes)[open - 1];
  uint32_t retired = index_of(*shape, pc);
  if (retired == kNotInBlock) return;  // it finished: the guest is past its exit
  if (division != nullptr && division >= shape->instruction_addresses &&
      division < shape->instruction_addresses + shape->count) {
    uint32_t at = static_cast<uint32_t>(division - shape->instruction_addresses);
    if (at > retired) retired = at;
  }
  UNSTUCK_CHECK(guest->pad0 >= shape->count - retired);
  guest->pad0 -= shape->count - retired;
}

void clear_clock_words(VexGuestAMD64State* guest) {
  guest->pad0 = 0;
  guest->pad1 = 0;
  guest->pad3 = 0;
}

void forget_shapes(ClockState* clock) { clock->shapes->clear(); }

IRExpr* time_in_run_expr(IRSB* sb, const ClockState* clock) {
  IRTemp before = add_temp(sb, Ity_I64, IRExpr_Load(Iend_LE, Ity_I64, address_of(&clock->time)));
  IRTemp count = add_temp(sb, Ity_I32, IRExpr_Get(kRunCountOffset, Ity_I32));
  IRTemp wide = add_temp(sb, Ity_I64, IRExpr_Unop(Iop_32Uto64, IRExpr_RdTmp(count)));
  return IRExpr_RdTmp(add_temp(
      sb, Ity_I64, IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(before), IRExpr_RdTmp(wide))));
}

}  // namespace unstuck::timeline
