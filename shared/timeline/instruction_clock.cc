#include "shared/timeline/instruction_clock.h"

#include "shared/rt/arena.h"
#include "shared/rt/check.h"
#include "shared/rt/vector.h"
#include "shared/timeline/thread_numbers.h"

namespace unstuck::timeline {
namespace {

// What the clock knows about one translated superblock: where each of its
// instructions starts, to settle a fault in the middle of it.
struct SuperblockShape {
  uint32_t count;
  Addr* instruction_addresses;  // `count` entries, in execution order
};

// The variables the generated code updates.  Plain globals, constant-
// initialised (no constructors ever run inside Valgrind).
struct ClockState {
  // Instructions retired, including the whole superblock now running.
  ULong time;
  // The superblock whose body is running, or null between superblocks.
  const SuperblockShape* open_superblock;
  // Address-table entry of the last integer division reached in the open
  // superblock, or null.  Division faults happen where the guest program
  // counter is not kept up to date, so the clock records them itself.
  const Addr* last_division;
};

ClockState g_clock = {0, nullptr, nullptr};

// Per-thread accounting, done in C++ at the edges of client-code runs,
// indexed by thread number.
ThreadId g_running_thread = VG_INVALID_THREADID;
ULong g_run_started_at = 0;
Vector<ULong>* g_thread_totals = nullptr;
Arena* g_shapes = nullptr;

uint32_t index_of(const SuperblockShape& shape, Addr address) {
  for (uint32_t i = 0; i < shape.count; ++i)
    if (shape.instruction_addresses[i] == address) return i;
  // Only the first instruction of a redirected superblock can fault before
  // the program counter names an instruction of the block.
  return 0;
}

// A superblock was left without passing one of its exits: an instruction in
// it faulted and Valgrind longjmp'd out.  The faulting instruction and the
// ones after it did not retire.
void settle_interrupted_superblock(ThreadId tid) {
  const SuperblockShape* shape = g_clock.open_superblock;
  if (shape == nullptr) return;
  uint32_t retired = index_of(*shape, VG_(get_IP)(tid));
  const Addr* division = g_clock.last_division;
  if (division != nullptr && division >= shape->instruction_addresses &&
      division < shape->instruction_addresses + shape->count) {
    uint32_t at = static_cast<uint32_t>(division - shape->instruction_addresses);
    if (at > retired) retired = at;
  }
  g_clock.time -= shape->count - retired;
  g_clock.open_superblock = nullptr;
  g_clock.last_division = nullptr;
}

void on_start_client_code(ThreadId tid, ULong /*blocks_done*/) {
  UNSTUCK_CHECK(g_clock.open_superblock == nullptr);
  g_running_thread = tid;
  g_run_started_at = g_clock.time;
}

// A fault with a handler: the core builds the signal frame (moving the
// program counter to the handler) before the thread stops running client
// code, so the fault must be settled here, while the program counter still
// names the faulting instruction.
void on_pre_deliver_signal(ThreadId tid, Int /*signal*/, Bool /*alt_stack*/) {
  settle_interrupted_superblock(tid);
}

// A fault without a handler ends the process with the program counter at
// the faulting instruction; it is settled here.
void on_stop_client_code(ThreadId tid, ULong /*blocks_done*/) {
  UNSTUCK_CHECK(tid == g_running_thread);
  settle_interrupted_superblock(tid);
  ThreadNumber number = thread_number(tid);
  if (g_thread_totals->size() <= number) g_thread_totals->resize(number + 1);
  (*g_thread_totals)[number] += g_clock.time - g_run_started_at;
  g_running_thread = VG_INVALID_THREADID;
}

// ---- IR construction -------------------------------------------------

IRExpr* address_of(const void* p) { return mkIRExpr_HWord((HWord)p); }

void add_store(IRSB* sb, const void* where, IRExpr* value, IRExpr* guard) {
  if (guard == nullptr)
    addStmtToIRSB(sb, IRStmt_Store(Iend_LE, address_of(where), value));
  else
    addStmtToIRSB(sb, IRStmt_StoreG(Iend_LE, address_of(where), value, guard));
}

// time += delta (delta may be negative), only when `guard` holds if given.
void add_time_adjustment(IRSB* sb, Long delta, IRExpr* guard) {
  if (delta == 0) return;
  IRTemp old_time = newIRTemp(sb->tyenv, Ity_I64);
  addStmtToIRSB(sb, IRStmt_WrTmp(old_time, IRExpr_Load(Iend_LE, Ity_I64,
                                                       address_of(&g_clock.time))));
  IRTemp new_time = newIRTemp(sb->tyenv, Ity_I64);
  addStmtToIRSB(sb, IRStmt_WrTmp(new_time,
                                 IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(old_time),
                                              IRExpr_Const(IRConst_U64(delta)))));
  add_store(sb, &g_clock.time, IRExpr_RdTmp(new_time), guard);
}

void add_superblock_closed(IRSB* sb, IRExpr* guard) {
  add_store(sb, &g_clock.open_superblock, mkIRExpr_HWord(0), guard);
}

bool is_integer_division(IROp op) {
  return op >= Iop_DivU32 && op <= Iop_DivModU32to32;
}

bool expression_divides(const IRExpr* e) {
  switch (e->tag) {
    case Iex_Binop: return is_integer_division(e->Iex.Binop.op);
    case Iex_Unop: return expression_divides(e->Iex.Unop.arg);
    default: return false;  // flat IR: operands are atoms
  }
}

bool statement_divides(const IRStmt* st) {
  return st->tag == Ist_WrTmp && expression_divides(st->Ist.WrTmp.data);
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

// Instructions retired when leaving after `seen` instructions through an
// exit of `kind` to `target`.
uint32_t retired_at_exit(const SuperblockShape& shape, uint32_t seen,
                         IRJumpKind kind, Addr target) {
  if (seen > 0 && abandons_instruction(kind) &&
      shape.instruction_addresses[seen - 1] == target)
    return seen - 1;
  return seen;
}

SuperblockShape* measure(const IRSB* sb) {
  uint32_t count = 0;
  for (Int i = 0; i < sb->stmts_used; ++i)
    if (sb->stmts[i]->tag == Ist_IMark) ++count;
  SuperblockShape* shape = g_shapes->make<SuperblockShape>();
  shape->count = count;
  shape->instruction_addresses = g_shapes->make_array<Addr>(count);
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

// Chasing lets VEX join both arms of an "a && b" test into one superblock,
// guarding the statements of the arm it speculated on but not its IMarks:
// the IMarks of instructions that never ran would be counted.  Unrolling
// is turned off with it, as callgrind does, so that every superblock is the
// straight-line code the replayer lifts too.
void force_translation_settings() {
  VG_(clo_vex_control).guest_chase = False;
  VG_(clo_vex_control).iropt_unroll_thresh = 0;
}

void install() {
  force_translation_settings();
  install_thread_numbers();
  g_thread_totals = new Vector<ULong>();
  g_shapes = new Arena();
  VG_(track_start_client_code)(on_start_client_code);
  VG_(track_stop_client_code)(on_stop_client_code);
  VG_(track_pre_deliver_signal)(on_pre_deliver_signal);
}

void check_translation_settings() {
  if (VG_(clo_vex_control).guest_chase ||
      VG_(clo_vex_control).iropt_unroll_thresh != 0) {
    VG_(umsg)("unstuck counts instructions only with --vex-guest-chase=no "
              "and --vex-iropt-unroll-thresh=0: resetting them.\n");
    force_translation_settings();
  }
}

IRSB* add_clock_pass(IRSB* in) {
  const SuperblockShape* shape = measure(in);
  const bool divides = any_division(in);
  IRSB* out = deepCopyIRSBExceptStmts(in);

  add_time_adjustment(out, shape->count, nullptr);
  add_store(out, &g_clock.open_superblock, address_of(shape), nullptr);
  if (divides) add_store(out, &g_clock.last_division, mkIRExpr_HWord(0), nullptr);

  uint32_t seen = 0;
  for (Int i = 0; i < in->stmts_used; ++i) {
    IRStmt* st = in->stmts[i];
    if (st->tag == Ist_IMark) ++seen;
    if (divides && statement_divides(st))
      add_store(out, &g_clock.last_division,
                address_of(&shape->instruction_addresses[seen - 1]), nullptr);
    if (st->tag == Ist_Exit) {
      IRExpr* guard = st->Ist.Exit.guard;
      uint32_t retired = retired_at_exit(*shape, seen, st->Ist.Exit.jk,
                                         constant_target(st->Ist.Exit.dst));
      add_time_adjustment(out, (Long)retired - (Long)shape->count,
                          deepCopyIRExpr(guard));
      add_superblock_closed(out, deepCopyIRExpr(guard));
    }
    addStmtToIRSB(out, st);
  }

  Addr final_target = in->next->tag == Iex_Const
                          ? constant_target(in->next->Iex.Const.con)
                          : (Addr)-1;
  uint32_t retired = retired_at_exit(*shape, seen, in->jumpkind, final_target);
  add_time_adjustment(out, (Long)retired - (Long)shape->count, nullptr);
  add_superblock_closed(out, nullptr);
  return out;
}

uint64_t now() { return g_clock.time; }

uint64_t thread_instructions(ThreadNumber number) {
  ULong total =
      number < g_thread_totals->size() ? (*g_thread_totals)[number] : 0;
  if (g_running_thread != VG_INVALID_THREADID &&
      thread_number(g_running_thread) == number)
    total += g_clock.time - g_run_started_at;
  return total;
}

}  // namespace unstuck::timeline
