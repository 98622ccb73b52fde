#include "shared/timeline/clock_pass.h"

#include "shared/rt/arena.h"
#include "shared/rt/check.h"

namespace unstuck::timeline {
namespace {

IRExpr* address_of(const void* p) { return mkIRExpr_HWord((HWord)p); }

void add_store(IRSB* sb, const void* where, IRExpr* value, IRExpr* guard) {
  if (guard == nullptr)
    addStmtToIRSB(sb, IRStmt_Store(Iend_LE, address_of(where), value));
  else
    addStmtToIRSB(sb, IRStmt_StoreG(Iend_LE, address_of(where), value, guard));
}

// A new temporary holding `base` + delta.
IRTemp add_constant(IRSB* sb, IRTemp base, Long delta) {
  IRTemp sum = newIRTemp(sb->tyenv, Ity_I64);
  addStmtToIRSB(sb, IRStmt_WrTmp(sum, IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(base),
                                                   IRExpr_Const(IRConst_U64(delta)))));
  return sum;
}

// Loads the time on entry and stores it plus the block's length; returns
// the temporary holding the time on entry.  Nothing else changes the time
// inside a block, so exits compute from it instead of loading it again.
IRTemp add_entry_time(IRSB* sb, ClockState* clock, uint32_t count) {
  IRTemp entry = newIRTemp(sb->tyenv, Ity_I64);
  addStmtToIRSB(sb, IRStmt_WrTmp(entry, IRExpr_Load(Iend_LE, Ity_I64,
                                                    address_of(&clock->time))));
  if (count != 0)
    add_store(sb, &clock->time, IRExpr_RdTmp(add_constant(sb, entry, count)), nullptr);
  return entry;
}

// Leaving after `retired` of the block's `count` instructions: the time is
// the entry time plus `retired` (stored only when `guard` holds, if given).
void add_exit_time(IRSB* sb, ClockState* clock, IRTemp entry, uint32_t retired,
                   uint32_t count, IRExpr* guard) {
  if (retired == count) return;
  add_store(sb, &clock->time, IRExpr_RdTmp(add_constant(sb, entry, retired)), guard);
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

  IRTemp entry = add_entry_time(out, clock, shape->count);
  add_store(out, &clock->open_superblock, address_of(shape), nullptr);
  if (divides)
    add_store(out, &clock->last_division, mkIRExpr_HWord(0), nullptr);

  uint32_t seen = 0;
  for (Int i = 0; i < in->stmts_used; ++i) {
    IRStmt* st = in->stmts[i];
    if (st->tag == Ist_IMark) ++seen;
    if (divides && statement_divides(st))
      add_store(out, &clock->last_division,
                address_of(&shape->instruction_addresses[seen - 1]), nullptr);
    if (st->tag == Ist_Exit) {
      IRExpr* guard = st->Ist.Exit.guard;
      const Addr target = constant_target(st->Ist.Exit.dst);
      uint32_t retired = retired_at_exit(*shape, seen, st->Ist.Exit.jk, target);
      add_exit_time(out, clock, entry, retired, shape->count, deepCopyIRExpr(guard));
      if (may_land_inside(*shape, st->Ist.Exit.jk, target))
        add_store(out, &clock->open_superblock, mkIRExpr_HWord(0),
                  deepCopyIRExpr(guard));
    }
    addStmtToIRSB(out, st);
  }

  const Addr target = constant_target(in->next);
  uint32_t retired = retired_at_exit(*shape, seen, in->jumpkind, target);
  add_exit_time(out, clock, entry, retired, shape->count, nullptr);
  if (may_land_inside(*shape, in->jumpkind, target))
    add_store(out, &clock->open_superblock, mkIRExpr_HWord(0), nullptr);
  return out;
}

void settle_interrupted_superblock(ClockState* clock, Addr pc) {
  const SuperblockShape* shape = clock->open_superblock;
  if (shape == nullptr) return;
  clock->open_superblock = nullptr;
  uint32_t retired = index_of(*shape, pc);
  if (retired == kNotInBlock) {  // it finished: the guest is past its exit
    clock->last_division = nullptr;
    return;
  }
  const Addr* division = clock->last_division;
  if (division != nullptr && division >= shape->instruction_addresses &&
      division < shape->instruction_addresses + shape->count) {
    uint32_t at = static_cast<uint32_t>(division - shape->instruction_addresses);
    if (at > retired) retired = at;
  }
  UNSTUCK_CHECK(clock->time >= shape->count - retired);
  clock->time -= shape->count - retired;
  clock->last_division = nullptr;
}

}  // namespace unstuck::timeline
