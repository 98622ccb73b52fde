// --tool=shadowbench: what the shadow IR costs inside Valgrind, and a
// check that it agrees with the C++ map.  Modes (--shadow-mode=):
//
//   none     no instrumentation: Valgrind's own cost, the baseline;
//   inline   a taint tool's common case with ShadowIR: every load checks
//            inline that its shadow is default ("untainted") and calls a
//            helper only when not; every store writes the default inline;
//   mixed    the same, but stores write (addr >> 3) & 3, so a quarter of
//            the stores write the default and most loads find shadow set:
//            the helper-heavy case;
//   helper   no inline IR: a helper call per load (ShadowMap::get) and per
//            store (set_range), as a tool without the fast path would do;
//   check    compares the inline answers with the C++ map on every access
//            (load_element, all_default, store_uniform) for one of three
//            maps (--check-map=0: uint8_t per byte; 1: uint32_t per byte,
//            addresses moved above the primary table, so every access takes
//            the slow path; 2: uint16_t per 8 bytes with default 0x77),
//            and mirrors every 32- and 64-bit register write into shadow
//            area 2 (a uint32_t per 4 bytes) to read it back.
//
// The benchmark maps use uint32_t elements, one per byte (taint labels).
#include "shared/shadow/shadow_ir.h"
#include "shared/shadow/shadow_map.h"
#include "shared/shadow/shadow_registers_ir.h"
#include "shared/vg/valgrind_api.h"

namespace {

using namespace unstuck::shadow;

enum class Mode { kNone, kInline, kMixed, kHelper, kCheck };

struct Options {
  Mode mode;
  Long check_map;
};
Options g_options = {Mode::kInline, 0};

constexpr int kCheckMaps = 3;
constexpr uint64_t kHighOffset = uint64_t{1} << 44;
ShadowTable* g_tables[kCheckMaps];
TableView g_views[kCheckMaps];

struct Counters {
  ULong tainted_loads, checked, registers_checked, mismatches;
};
Counters g_counts = {0, 0, 0, 0};

// Check mode also mirrors guest register writes into shadow area 2, one
// 32-bit element per 4 bytes, and reads them back.
const RegisterShadowLayout g_registers = amd64_register_shadow(4, 2);

// ---- Helpers called from the generated code -------------------------------

void on_tainted_load(HWord /*addr*/, HWord /*size*/) { ++g_counts.tainted_loads; }

// What a tool without the inline path would call on every access: the
// same work as the inline IR, in the tightest C++ for uint32_t elements.
bool in_one_chunk(HWord addr, HWord size) {
  return addr < kPrimaryLimit && (addr & (kChunkBytes - 1)) + size <= kChunkBytes;
}

void load_helper(HWord table, HWord addr, HWord size) {
  const ShadowTable* t = reinterpret_cast<const ShadowTable*>(table);
  bool untainted;
  if (in_one_chunk(addr, size)) {
    const uint32_t* elements = reinterpret_cast<const uint32_t*>(
        t->chunk_for_read(addr) + t->element_offset(addr));
    uint32_t any = 0;
    for (HWord i = 0; i < size; ++i) any |= elements[i];
    untainted = any == 0;
  } else {
    untainted = t->is_default(addr, size);
  }
  if (!untainted) ++g_counts.tainted_loads;
}

void store_helper(HWord table, HWord addr, HWord size) {
  ShadowTable* t = reinterpret_cast<ShadowTable*>(table);
  if (!in_one_chunk(addr, size)) {
    t->set_range(addr, size, 0);
    return;
  }
  uint8_t* written = t->elements_for_write(addr, size, 0);
  if (written == nullptr) return;  // the default into pieces holding only it
  uint32_t* elements = reinterpret_cast<uint32_t*>(written);
  for (HWord i = 0; i < size; ++i) elements[i] = 0;
}

void report(const char* what, HWord which, HWord addr, HWord got, HWord want) {
  if (g_counts.mismatches++ < 20)
    VG_(umsg)("MISMATCH %s map %lu addr %#lx got %#lx want %#lx\n", what,
              which, addr, got, want);
}

void check_load(HWord which, HWord addr, HWord inline_value) {
  ++g_counts.checked;
  uint64_t want = g_tables[which]->get(addr);
  if (inline_value != want) report("load", which, addr, inline_value, want);
}

void check_all_default(HWord which, HWord addr, HWord size, HWord answer) {
  bool fast = addr < kPrimaryLimit &&
              (addr & (kChunkBytes - 1)) + size <= kChunkBytes;
  HWord want = fast && g_tables[which]->is_default(addr, size);
  if (answer != want) report("all_default", which, addr, answer, want);
}

void check_store(HWord which, HWord addr, HWord size, HWord value) {
  ++g_counts.checked;
  for (HWord i = 0; i < size; ++i) {
    uint64_t got = g_tables[which]->get(addr + i);
    if (got != value) report("store", which, addr + i, got, value);
  }
}

// After a guest Put of `value` at `offset` and the same Put to its shadow:
// the shadow read back by IR (`got`) and from C++ must be `value`, and
// write_register_elements must land where the elements are.
void check_register(HWord offset, HWord size, HWord value, HWord got) {
  ++g_counts.registers_checked;
  ThreadId tid = VG_(get_running_tid)();
  HWord mask = size == 8 ? ~HWord{0} : 0xffffffff;
  if ((got & mask) != (value & mask))
    report("register get", 0, offset, got & mask, value & mask);
  for (HWord at = 0; at < size; at += 4) {
    HWord element = read_register_element(tid, g_registers, offset + at);
    HWord want = (value >> (8 * at)) & 0xffffffff;
    if (element != want) report("register element", 0, offset + at, element, want);
  }
  write_register_elements(tid, g_registers, offset, size, 0x5a5a5a5a);
  HWord back = read_register_element(tid, g_registers, offset + size - 1);
  if (back != 0x5a5a5a5a) report("register write", 0, offset, back, 0x5a5a5a5a);
}

// ---- IR construction -------------------------------------------------------

IRExpr* word(uint64_t v) { return mkIRExpr_HWord(v); }

void call(IRSB* sb, const char* name, void* fn, IRExpr** args) {
  IRDirty* d = unsafeIRDirty_0_N(0, name, VG_(fnptr_to_fnentry)(fn), args);
  addStmtToIRSB(sb, IRStmt_Dirty(d));
}

IRExpr* to_word(ShadowIR& ir, IRExpr* e, IRType ty) {
  switch (ty) {
    case Ity_I1: return ir.bind(IRExpr_Unop(Iop_1Uto64, e));
    case Ity_I8: return ir.bind(IRExpr_Unop(Iop_8Uto64, e));
    case Ity_I16: return ir.bind(IRExpr_Unop(Iop_16Uto64, e));
    case Ity_I32: return ir.bind(IRExpr_Unop(Iop_32Uto64, e));
    default: return e;
  }
}

IRExpr* from_word(ShadowIR& ir, IRExpr* e, IRType ty) {
  switch (ty) {
    case Ity_I8: return ir.bind(IRExpr_Unop(Iop_64to8, e));
    case Ity_I16: return ir.bind(IRExpr_Unop(Iop_64to16, e));
    case Ity_I32: return ir.bind(IRExpr_Unop(Iop_64to32, e));
    default: return e;
  }
}

// (addr >> 3) & 3, xor the default: a quarter of these are the default.
IRExpr* address_value(ShadowIR& ir, IRExpr* addr, uint64_t default_value) {
  IRExpr* bits = ir.bind(IRExpr_Binop(Iop_Shr64, addr, IRExpr_Const(IRConst_U8(3))));
  IRExpr* small = ir.bind(IRExpr_Binop(Iop_And64, bits, word(3)));
  return ir.bind(IRExpr_Binop(Iop_Xor64, small, word(default_value)));
}

void add_load(IRSB* sb, IRExpr* addr, int size) {
  ShadowIR ir(sb, g_views[1]);
  switch (g_options.mode) {
    case Mode::kInline:
    case Mode::kMixed:
      ir.call_if(ir.negate(ir.all_default(addr, size)), "on_tainted_load",
                 reinterpret_cast<void*>(&on_tainted_load),
                 mkIRExprVec_2(addr, word(size)), /*returns=*/false);
      return;
    case Mode::kHelper:
      call(sb, "load_helper", reinterpret_cast<void*>(&load_helper),
           mkIRExprVec_3(word(reinterpret_cast<HWord>(g_tables[1])), addr,
                         word(size)));
      return;
    default:
      return;
  }
}

void add_store(IRSB* sb, IRExpr* addr, int size) {
  ShadowIR ir(sb, g_views[1]);
  switch (g_options.mode) {
    case Mode::kInline:
      ir.store_uniform(addr, size, IRExpr_Const(IRConst_U32(0)));
      return;
    case Mode::kMixed:
      ir.store_uniform(addr, size, from_word(ir, address_value(ir, addr, 0), Ity_I32));
      return;
    case Mode::kHelper:
      call(sb, "store_helper", reinterpret_cast<void*>(&store_helper),
           mkIRExprVec_3(word(reinterpret_cast<HWord>(g_tables[1])), addr,
                         word(size)));
      return;
    default:
      return;
  }
}

IRExpr* checked_address(ShadowIR& ir, IRExpr* addr) {
  if (g_options.check_map != 1) return addr;
  return ir.bind(IRExpr_Binop(Iop_Add64, addr, word(kHighOffset)));
}

void add_load_check(IRSB* sb, IRExpr* guest_addr, int size) {
  HWord which = g_options.check_map;
  ShadowIR ir(sb, g_views[which]);
  IRExpr* addr = checked_address(ir, guest_addr);
  IRExpr* value = to_word(ir, ir.load_element(addr), ir.element_type());
  call(sb, "check_load", reinterpret_cast<void*>(&check_load),
       mkIRExprVec_3(word(which), addr, value));
  IRExpr* all = to_word(ir, ir.all_default(addr, size), Ity_I1);
  call(sb, "check_all_default", reinterpret_cast<void*>(&check_all_default),
       mkIRExprVec_4(word(which), addr, word(size), all));
}

void add_store_check(IRSB* sb, IRExpr* guest_addr, int size) {
  HWord which = g_options.check_map;
  ShadowIR ir(sb, g_views[which]);
  IRExpr* addr = checked_address(ir, guest_addr);
  IRExpr* value = address_value(ir, addr, g_views[which].default_value);
  ir.store_uniform(addr, size, from_word(ir, value, ir.element_type()));
  call(sb, "check_store", reinterpret_cast<void*>(&check_store),
       mkIRExprVec_4(word(which), addr, word(size), value));
}

void add_register_check(IRSB* sb, Int offset, IRExpr* data, IRType ty) {
  int size = sizeofIRType(ty);
  if ((ty != Ity_I32 && ty != Ity_I64) ||
      !g_registers.span(offset, size).covers_exactly)
    return;
  ShadowIR ir(sb, g_views[0]);
  addStmtToIRSB(sb, put_register_shadow(g_registers, offset, size, data));
  IRExpr* got = to_word(ir, ir.bind(get_register_shadow(g_registers, offset, size)), ty);
  IRDirty* d = unsafeIRDirty_0_N(
      0, "check_register",
      VG_(fnptr_to_fnentry)(reinterpret_cast<void*>(&check_register)),
      mkIRExprVec_4(word(offset), word(size), to_word(ir, data, ty), got));
  // The helper reads and writes the shadow registers: VEX must store them
  // before the call and reload them after.
  RegisterSpan span = g_registers.span(offset, size);
  d->nFxState = 1;
  d->fxState[0].fx = Ifx_Modify;
  d->fxState[0].offset = span.shadow_offset;
  d->fxState[0].size = span.bytes;
  d->fxState[0].nRepeats = 0;
  d->fxState[0].repeatLen = 0;
  addStmtToIRSB(sb, IRStmt_Dirty(d));
}

IRSB* instrument(VgCallbackClosure*, IRSB* in, const VexGuestLayout*,
                 const VexGuestExtents*, const VexArchInfo*, IRType, IRType) {
  if (g_options.mode == Mode::kNone) return in;
  const bool check = g_options.mode == Mode::kCheck;
  IRSB* out = deepCopyIRSBExceptStmts(in);
  for (Int i = 0; i < in->stmts_used; ++i) {
    IRStmt* st = in->stmts[i];
    addStmtToIRSB(out, st);
    if (st->tag == Ist_WrTmp && st->Ist.WrTmp.data->tag == Iex_Load) {
      const IRExpr* load = st->Ist.WrTmp.data;
      int size = sizeofIRType(load->Iex.Load.ty);
      if (check) add_load_check(out, load->Iex.Load.addr, size);
      else add_load(out, load->Iex.Load.addr, size);
    } else if (st->tag == Ist_Store) {
      int size = sizeofIRType(typeOfIRExpr(in->tyenv, st->Ist.Store.data));
      if (check) add_store_check(out, st->Ist.Store.addr, size);
      else add_store(out, st->Ist.Store.addr, size);
    } else if (check && st->tag == Ist_Put) {
      add_register_check(out, st->Ist.Put.offset, st->Ist.Put.data,
                         typeOfIRExpr(in->tyenv, st->Ist.Put.data));
    }
  }
  return out;
}

// ---- Tool plumbing -----------------------------------------------------------

Bool process_option(const HChar* arg) {
  const HChar* mode = nullptr;
  if VG_STR_CLO (arg, "--shadow-mode", mode) {
    if (VG_(strcmp)(mode, "none") == 0) g_options.mode = Mode::kNone;
    else if (VG_(strcmp)(mode, "inline") == 0) g_options.mode = Mode::kInline;
    else if (VG_(strcmp)(mode, "mixed") == 0) g_options.mode = Mode::kMixed;
    else if (VG_(strcmp)(mode, "helper") == 0) g_options.mode = Mode::kHelper;
    else if (VG_(strcmp)(mode, "check") == 0) g_options.mode = Mode::kCheck;
    else return False;
  } else if VG_BINT_CLO (arg, "--check-map", g_options.check_map, 0,
                         kCheckMaps - 1) {
  } else {
    return False;
  }
  return True;
}

void print_usage() {
  VG_(printf)(
      "    --shadow-mode=none|inline|mixed|helper|check   [inline]\n"
      "    --check-map=0|1|2         the map --shadow-mode=check checks [0]\n");
}

void print_debug_usage() { VG_(printf)("    (none)\n"); }

void post_clo_init() {}

void fini(Int) {
  if (g_options.mode == Mode::kCheck) {
    VG_(umsg)("shadowbench: map %lld: %llu accesses and %llu register "
              "writes checked, %llu mismatches\n",
              g_options.check_map, g_counts.checked, g_counts.registers_checked,
              g_counts.mismatches);
  } else if (g_options.mode != Mode::kNone) {
    VG_(umsg)("shadowbench: %llu loads found shadow set; %lu shadow chunks\n",
              g_counts.tainted_loads,
              (unsigned long)g_tables[1]->memory().private_chunks);
  }
}

void pre_clo_init() {
  VG_(details_name)("shadowbench");
  VG_(details_version)(nullptr);
  VG_(details_description)("the cost of unstuck's shadow IR");
  VG_(details_copyright_author)("Copyright (C) the unstuck authors.");
  VG_(details_bug_reports_to)("https://github.com/unstuck-debugger/unstuck/issues");
  VG_(details_avg_translation_sizeB)(640);
  VG_(basic_tool_funcs)(post_clo_init, instrument, fini);
  VG_(needs_command_line_options)(process_option, print_usage,
                                  print_debug_usage);
  g_tables[0] = new ShadowTable(1, 1, 0, 0);
  g_tables[1] = new ShadowTable(4, 1, 0, 0);
  g_tables[2] = new ShadowTable(2, 8, 0x77, 0x77);
  for (int i = 0; i < kCheckMaps; ++i) g_views[i] = g_tables[i]->view();
}

}  // namespace

extern "C" {
VG_DETERMINE_INTERFACE_VERSION(pre_clo_init)
}
