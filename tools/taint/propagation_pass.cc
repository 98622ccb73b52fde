#include "tools/taint/propagation_pass.h"

#include "shared/rt/arena.h"
#include "shared/rt/check.h"
#include "shared/rt/vector.h"
#include "shared/vex/ir_facts.h"
#include "tools/taint/copy_ring.h"
#include "tools/taint/function_sinks.h"
#include "tools/taint/label_ir.h"
#include "tools/taint/options.h"
#include "tools/taint/propagation_helpers.h"
#include "tools/taint/shadow_state.h"
#include "tools/taint/sinks.h"

namespace unstuck::taint {
namespace {

constexpr int32_t kArea = shadow::kAmd64GuestStateBytes;

Arena* g_effects = nullptr;  // DirtyEffects live as long as the run

bool is_atom_temp(const IRExpr* e) { return e->tag == Iex_RdTmp; }

IROp equality_for(IRType type) {
  switch (type) {
    case Ity_I8: return Iop_CmpEQ8;
    case Ity_I16: return Iop_CmpEQ16;
    case Ity_I32: return Iop_CmpEQ32;
    default: return Iop_CmpEQ64;
  }
}

// A constant all of whose bytes are 0x00 or 0xff: And with it selects
// whole bytes (copy-only mode follows that).
bool is_byte_mask(const IRExpr* e) {
  if (e->tag != Iex_Const) return false;
  const IRConst* c = e->Iex.Const.con;
  uint64_t v;
  switch (c->tag) {
    case Ico_U8: v = c->Ico.U8; break;
    case Ico_U16: v = c->Ico.U16; break;
    case Ico_U32: v = c->Ico.U32; break;
    case Ico_U64: v = c->Ico.U64; break;
    default: return false;
  }
  for (int i = 0; i < 8; ++i) {
    uint64_t byte = (v >> (8 * i)) & 0xff;
    if (byte != 0 && byte != 0xff) return false;
  }
  return true;
}

bool is_byte_shift(IROp op, const IRExpr* amount) {
  switch (op) {
    case Iop_Shl8: case Iop_Shl16: case Iop_Shl32: case Iop_Shl64:
    case Iop_Shr8: case Iop_Shr16: case Iop_Shr32: case Iop_Shr64:
      break;
    default:
      return false;
  }
  return amount->tag == Iex_Const && amount->Iex.Const.con->tag == Ico_U8 &&
         amount->Iex.Const.con->Ico.U8 % 8 == 0;
}

bool is_and(IROp op) {
  return op == Iop_And8 || op == Iop_And16 || op == Iop_And32 || op == Iop_And64;
}

class PropagationPass {
 public:
  explicit PropagationPass(IRSB* in)
      : in_(in), out_(deepCopyIRSBExceptStmts(in)), ir_(out_),
        copy_only_(options().propagation == Propagation::kCopyOnly) {}

  IRSB* run();

 private:
  // What a value is a copy of: bytes [offset, offset + bytes) of a value
  // loaded, or read from a register, in this superblock are its low bytes.
  struct View {
    enum Kind : uint8_t { kNone, kLoad, kRegister } kind;
    IRTemp base;
    int32_t offset;
    int32_t bytes;
    int32_t base_bytes;  // the size of the base value
    // A part of the base: its label can be narrower than the base's.
    bool is_part() const { return kind != kNone && (offset > 0 || bytes < base_bytes); }
  };
  // The view's first `size` bytes are the whole base value.
  static bool is_whole(const View& v, int size) { return v.offset == 0 && size == v.base_bytes; }

  // ---- Preparation ----
  void count_instructions();
  View view_of_expression(const IRExpr* e) const;
  const View* copy_view(const IRExpr* data, int size) const;
  void note_copy(const IRExpr* data, int size, int& slots_used);
  void note_part(IRTemp t, int& slots_used);
  IRExpr* label_of_part(IRTemp dst, IRExpr* whole);
  IRExpr* compute_label_of_part(const View& v, IRExpr* whole);
  void find_copies();
  void find_needed_labels();
  void find_hoisted_parts();
  int hoisted_slot(const View& v) const;
  void need(const IRExpr* e) { note_reader(e, kOtherReader); }
  // The label is read by a sink that can take it as parts (on_exit).
  void need_for_sink(const IRExpr* e) { note_reader(e, kSinkReader); }
  void note_reader(const IRExpr* e, uint8_t reader) {
    if (e == nullptr || e->tag != Iex_RdTmp) return;
    needed_[e->Iex.RdTmp.tmp] = true;
    readers_[e->Iex.RdTmp.tmp] |= reader;
  }
  bool only_sink_reads(IRTemp t) const { return readers_[t] == kSinkReader; }
  void need_operands(const IRExpr* e);
  bool defer_union(IRTemp dst, const IRExpr* e);
  // The operand whose label is the label of `e` (a copy, or in union mode
  // a unop), or null.
  const IRExpr* passes_label_of(const IRExpr* e) const {
    if (e->tag == Iex_RdTmp) return e;
    if (e->tag == Iex_Unop && !copy_only_) return e->Iex.Unop.arg;
    return nullptr;
  }

  // ---- Statements ----
  void on_imark(IRStmt* st);
  void on_put(IRStmt* st);
  void on_puti(IRStmt* st);
  void on_wrtmp(IRStmt* st);
  void on_store(IRStmt* st);
  void on_storeg(IRStmt* st);
  void on_loadg(IRStmt* st);
  void on_cas(IRStmt* st);
  void on_llsc(IRStmt* st);
  void on_dirty(IRStmt* st);
  void on_exit(IRStmt* st);
  void on_next();

  // ---- Labels ----
  IRExpr* label_of(IRExpr* atom);
  void set_label(IRTemp t, IRExpr* label) { labels_[t] = label; }
  IRExpr* label_of_expression(IRTemp dst, IRExpr* e);
  IRExpr* label_of_binop(IRExpr* e);
  IRExpr* label_of_args(IRExpr** args);
  IRExpr* label_of_load(IRTemp dst, IRExpr* addr, int size, IRExpr* guard);
  IRExpr* copy_handle_for(const IRExpr* data, int size);
  IRExpr* address_label(IRExpr* addr);
  void check_address(IRExpr* addr, bool is_store, IRExpr* guard);
  void store_labels(IRExpr* addr, IRExpr* data, IRExpr* label);
  DirtyEffects* effects_of(const IRDirty* d);

  SinkSite* site(SinkKind kind, const char* detail) {
    return make_site(pc_, total_ - (seen_ - 1), kind, detail);
  }
  void copy(IRStmt* st) { addStmtToIRSB(out_, st); }

  IRSB* in_;
  IRSB* out_;
  LabelIR ir_;
  const bool copy_only_;
  Vector<IRExpr*> labels_;         // by original temporary
  Vector<View> views_;             // by original temporary
  Vector<int> slots_;              // snapshot slot by load temporary
  Vector<bool> wants_handle_;      // register reads whose copy handle is used
  Vector<bool> exact_part_;        // parts whose label comes from their bytes
  Vector<bool> needed_;            // temporaries whose label something reads
  static constexpr uint8_t kOtherReader = 1, kSinkReader = 2;
  Vector<uint8_t> readers_;        // who reads it: kOtherReader | kSinkReader
  // A label read only by a branch sink, as the parts of a union that the
  // sink's call makes (sinks.h): an index into parts_, or -1.
  struct Parts {
    IRExpr* labels[kSinkParts];
    int count;
  };
  Vector<int> deferred_;
  Vector<Parts> parts_;
  Vector<bool> put_whole_;         // loads put into a register as loaded
  Vector<IRExpr*> load_handles_;   // Ity_I32: their copy handles, made by the load
  Vector<IRExpr*> snapshots_;      // Ity_I1: the load filled its snapshot
  Vector<IRExpr*> handles_;        // Ity_I32: the register read's copy handle
  Vector<IRExpr*> load_addresses_; // label of the load's address
  // Labels of parts already computed in this superblock: a narrowing, then
  // a widening, then another narrowing of one register read are views of
  // the same bytes, whose label one helper call gives (each guarded call
  // costs the spills around it even when not taken).
  struct KnownPart {
    View view;
    IRExpr* label;
  };
  Vector<KnownPart> known_parts_;
  // Parts of integer registers read before the superblock writes them:
  // their labels come from one call at its start (LabelIR::
  // register_part_labels), the part's slot being its index here.
  struct HoistedPart {
    IRTemp base;  // the register read
    RegisterPart part;
  };
  Vector<HoistedPart> hoisted_;
  uint32_t total_ = 0;  // instructions in the superblock
  uint32_t seen_ = 0;   // IMarks passed so far
  Addr pc_ = 0;
};

IRSB* PropagationPass::run() {
  Int temps = in_->tyenv->types_used;
  labels_.resize(temps);
  views_.resize(temps);
  slots_.resize(temps);
  wants_handle_.resize(temps);
  exact_part_.resize(temps);
  needed_.resize(temps);
  readers_.resize(temps);
  deferred_.resize(temps);
  put_whole_.resize(temps);
  load_handles_.resize(temps);
  snapshots_.resize(temps);
  handles_.resize(temps);
  load_addresses_.resize(temps);
  for (Int t = 0; t < temps; ++t) {
    labels_[t] = LabelIR::empty();
    views_[t] = View{View::kNone, IRTemp_INVALID, 0, 0, 0};
    slots_[t] = -1;
    wants_handle_[t] = false;
    exact_part_[t] = false;
    needed_[t] = false;
    readers_[t] = 0;
    deferred_[t] = -1;
    put_whole_[t] = false;
    load_handles_[t] = nullptr;
    snapshots_[t] = nullptr;
    handles_[t] = LabelIR::empty();
    load_addresses_[t] = LabelIR::empty();
  }
  count_instructions();
  find_copies();
  find_needed_labels();
  find_hoisted_parts();
  if (!hoisted_.empty()) {
    RegisterPart parts[kMaxRegisterParts];
    for (size_t i = 0; i < hoisted_.size(); ++i) parts[i] = hoisted_[i].part;
    ir_.register_part_labels(parts, static_cast<int>(hoisted_.size()));
  }
  for (Int i = 0; i < in_->stmts_used; ++i) {
    IRStmt* st = in_->stmts[i];
    switch (st->tag) {
      case Ist_IMark: on_imark(st); break;
      case Ist_Put: on_put(st); break;
      case Ist_PutI: on_puti(st); break;
      case Ist_WrTmp: on_wrtmp(st); break;
      case Ist_Store: on_store(st); break;
      case Ist_StoreG: on_storeg(st); break;
      case Ist_LoadG: on_loadg(st); break;
      case Ist_CAS: on_cas(st); break;
      case Ist_LLSC: on_llsc(st); break;
      case Ist_Dirty: on_dirty(st); break;
      case Ist_Exit: on_exit(st); break;
      default: copy(st); break;  // NoOp, AbiHint, MBE
    }
  }
  on_next();
  return out_;
}

// ---- Preparation ----------------------------------------------------------------

void PropagationPass::count_instructions() {
  for (Int i = 0; i < in_->stmts_used; ++i)
    if (in_->stmts[i]->tag == Ist_IMark) ++total_;
}

// Unops that keep some of their argument's bytes as their low bytes:
// the byte of the argument that becomes byte 0, or -1.
int kept_byte_offset(IROp op) {
  switch (op) {
    // Widening: the argument's bytes stay the low bytes.
    case Iop_8Uto16: case Iop_8Uto32: case Iop_8Uto64: case Iop_16Uto32:
    case Iop_16Uto64: case Iop_32Uto64: case Iop_8Sto16: case Iop_8Sto32:
    case Iop_8Sto64: case Iop_16Sto32: case Iop_16Sto64: case Iop_32Sto64:
    case Iop_64UtoV128: case Iop_32UtoV128:
    // Narrowing to the low part.
    case Iop_64to8: case Iop_32to8: case Iop_64to16: case Iop_16to8:
    case Iop_32to16: case Iop_64to32: case Iop_128to64: case Iop_V128to64:
    case Iop_V128to32: case Iop_V256to64_0: case Iop_V256toV128_0:
    case Iop_ReinterpF64asI64: case Iop_ReinterpI64asF64:
    case Iop_ReinterpF32asI32: case Iop_ReinterpI32asF32:
      return 0;
    case Iop_16HIto8: return 1;
    case Iop_32HIto16: return 2;
    case Iop_64HIto32: return 4;
    case Iop_128HIto64: case Iop_V128HIto64: case Iop_V256to64_1: return 8;
    case Iop_V256toV128_1: case Iop_V256to64_2: return 16;
    case Iop_V256to64_3: return 24;
    default: return -1;
  }
}

// Binops that keep whole bytes of their first argument: a right shift by
// whole bytes (the byte that becomes byte 0), or an And with a mask of low
// bytes (how many bytes it keeps, as -1 - n).
int kept_bytes_of_binop(IROp op, const IRExpr* b) {
  if (b->tag != Iex_Const) return 0;
  const IRConst* c = b->Iex.Const.con;
  switch (op) {
    case Iop_Shr16: case Iop_Shr32: case Iop_Shr64:
      return c->tag == Ico_U8 && c->Ico.U8 % 8 == 0 ? c->Ico.U8 / 8 : 0;
    case Iop_And16: case Iop_And32: case Iop_And64: {
      uint64_t mask = c->tag == Ico_U16 ? c->Ico.U16 : c->tag == Ico_U32 ? c->Ico.U32
                      : c->tag == Ico_U64 ? c->Ico.U64 : 0;
      if (mask == 0xff) return -1 - 1;
      if (mask == 0xffff) return -1 - 2;
      if (mask == 0xffffffffull) return -1 - 4;
      return 0;
    }
    default:
      return 0;
  }
}

PropagationPass::View PropagationPass::view_of_expression(const IRExpr* e) const {
  View none{View::kNone, IRTemp_INVALID, 0, 0, 0};
  IRType type = typeOfIRExpr(in_->tyenv, e);
  if (type == Ity_I1) return none;
  int32_t size = sizeofIRType(type);
  switch (e->tag) {
    case Iex_RdTmp:
      return views_[e->Iex.RdTmp.tmp];
    case Iex_Unop: {
      int kept = kept_byte_offset(e->Iex.Unop.op);
      if (kept < 0 || !is_atom_temp(e->Iex.Unop.arg)) return none;
      View v = views_[e->Iex.Unop.arg->Iex.RdTmp.tmp];
      if (v.kind == View::kNone || v.bytes <= kept) return none;
      int32_t bytes = v.bytes - kept;
      return View{v.kind, v.base, v.offset + kept, bytes < size ? bytes : size, v.base_bytes};
    }
    case Iex_Binop: {
      const IRExpr* a = e->Iex.Binop.arg1;
      int kept = kept_bytes_of_binop(e->Iex.Binop.op, e->Iex.Binop.arg2);
      if (kept == 0 || !is_atom_temp(a)) return none;
      View v = views_[a->Iex.RdTmp.tmp];
      if (v.kind == View::kNone) return none;
      if (kept < 0) {  // a mask of low bytes
        int32_t bytes = -1 - kept;
        return View{v.kind, v.base, v.offset, bytes < v.bytes ? bytes : v.bytes, v.base_bytes};
      }
      if (v.bytes <= kept) return none;
      return View{v.kind, v.base, v.offset + kept, v.bytes - kept, v.base_bytes};
    }
    default:
      return none;
  }
}

// The view of a stored or put value when all of its `size` bytes are a
// copy, else null.
const PropagationPass::View* PropagationPass::copy_view(const IRExpr* data, int size) const {
  if (!is_atom_temp(data)) return nullptr;
  const View& v = views_[data->Iex.RdTmp.tmp];
  if (size < 2 || v.kind == View::kNone || v.bytes < size || v.offset + size > kSnapshotBytes)
    return nullptr;
  return &v;
}

void PropagationPass::note_copy(const IRExpr* data, int size, int& slots_used) {
  const View* v = copy_view(data, size);
  if (v == nullptr) return;
  if (v->kind == View::kRegister) {
    wants_handle_[v->base] = true;
  } else if (slots_[v->base] < 0 && slots_used < kSnapshotSlots) {
    slots_[v->base] = slots_used++;
  }
}

// A part of a loaded value (a field extracted by shifting and masking, a
// half): its label is the union of its own bytes' labels, when they differ.
void PropagationPass::note_part(IRTemp t, int& slots_used) {
  const View& v = views_[t];
  if (!v.is_part() || v.offset + v.bytes > kSnapshotBytes) return;
  if (v.kind == View::kRegister) {
    wants_handle_[v.base] = true;
  } else if (slots_[v.base] < 0) {
    if (slots_used >= kSnapshotSlots) return;
    slots_[v.base] = slots_used++;
  }
  exact_part_[t] = true;
}

// Copies: values loaded (or read from a register) and stored or put
// unchanged.  A load gets a snapshot slot for the labels of its bytes; a
// register read has its copy handle read along.  See copy_ring.h.
void PropagationPass::find_copies() {
  int slots_used = 0;
  for (Int i = 0; i < in_->stmts_used; ++i) {
    const IRStmt* st = in_->stmts[i];
    if (st->tag == Ist_WrTmp) {
      IRTemp t = st->Ist.WrTmp.tmp;
      const IRExpr* e = st->Ist.WrTmp.data;
      if (e->tag == Iex_Load) {
        // One byte's label is exact without a snapshot.
        int32_t size = sizeofIRType(e->Iex.Load.ty);
        if (size >= 2) views_[t] = View{View::kLoad, t, 0, size, size};
      } else if (e->tag == Iex_Get) {
        int32_t size = sizeofIRType(e->Iex.Get.ty);
        int32_t offset = e->Iex.Get.offset;
        if (copy_handle_offset(offset, size) >= 0) {
          int32_t start = is_word_field(offset, size) ? (offset & ~7) : vector_register_start(offset);
          views_[t] = View{View::kRegister, t, offset - start, size, size};
        }
      } else {
        views_[t] = view_of_expression(e);
        note_part(t, slots_used);
      }
    } else if (st->tag == Ist_Store) {
      const IRExpr* data = st->Ist.Store.data;
      note_copy(data, sizeofIRType(typeOfIRExpr(in_->tyenv, data)), slots_used);
    } else if (st->tag == Ist_Put) {
      const IRExpr* data = st->Ist.Put.data;
      int32_t size = sizeofIRType(typeOfIRExpr(in_->tyenv, data));
      if (copy_handle_offset(st->Ist.Put.offset, size) < 0) continue;
      note_copy(data, size, slots_used);
      const View* v = copy_view(data, size);
      if (v != nullptr && v->kind == View::kLoad && is_whole(*v, size)) put_whole_[v->base] = true;
    }
  }
}


// Guest-state words written so far by a superblock's statements.
class WrittenWords {
 public:
  WrittenWords() { written_.resize(kArea / 8 + 1); }
  void add(int32_t offset, int32_t size) {
    for (int32_t w = offset / 8; w <= (offset + size - 1) / 8 && w < kArea / 8 + 1; ++w)
      written_[w] = true;
  }
  void add_all() { all_ = true; }
  bool contains(int32_t offset) const { return all_ || written_[offset / 8]; }

 private:
  Vector<bool> written_;
  bool all_ = false;
};

void note_guest_writes(const IRTypeEnv* types, const IRStmt* st, WrittenWords* written) {
  switch (st->tag) {
    case Ist_Put: {
      const IRExpr* data = st->Ist.Put.data;
      written->add(st->Ist.Put.offset, sizeofIRType(typeOfIRExpr(types, data)));
      break;
    }
    case Ist_PutI: written->add_all(); break;
    case Ist_Dirty: {
      const IRDirty* d = st->Ist.Dirty.details;
      for (Int i = 0; i < d->nFxState; ++i) {
        if (d->fxState[i].fx == Ifx_Read) continue;
        for (Int r = 0; r <= d->fxState[i].nRepeats; ++r)
          written->add(d->fxState[i].offset + r * d->fxState[i].repeatLen, d->fxState[i].size);
      }
      break;
    }
    default: break;
  }
}

// Parts of word fields (AL, EAX of RAX, ...) whose exact labels are needed
// and whose registers the superblock has not written when it reads them:
// the registers' state at its start is theirs, so one call there gives
// all their labels (at most kMaxRegisterParts; the rest call at the read).
void PropagationPass::find_hoisted_parts() {
  WrittenWords written;
  Vector<int32_t> field_of_read;  // by temporary: the word field it read unwritten, or -1
  field_of_read.resize(in_->tyenv->types_used);
  for (Int t = 0; t < in_->tyenv->types_used; ++t) field_of_read[t] = -1;
  for (Int i = 0; i < in_->stmts_used; ++i) {
    const IRStmt* st = in_->stmts[i];
    note_guest_writes(in_->tyenv, st, &written);
    if (st->tag != Ist_WrTmp) continue;
    const IRTemp t = st->Ist.WrTmp.tmp;
    const IRExpr* e = st->Ist.WrTmp.data;
    if (e->tag == Iex_Get) {
      const int32_t offset = e->Iex.Get.offset, size = sizeofIRType(e->Iex.Get.ty);
      if (is_word_field(offset, size) && !written.contains(offset)) field_of_read[t] = offset & ~7;
      continue;
    }
    const View& v = views_[t];
    if (!exact_part_[t] || !needed_[t] || v.kind != View::kRegister) continue;
    if (field_of_read[v.base] < 0 || hoisted_slot(v) >= 0) continue;
    if (hoisted_.size() == static_cast<size_t>(kMaxRegisterParts)) break;
    const int slot = static_cast<int>(hoisted_.size());
    hoisted_.push_back({v.base, {field_of_read[v.base], v.offset, v.bytes, slot}});
  }
}

int PropagationPass::hoisted_slot(const View& v) const {
  if (v.kind != View::kRegister) return -1;
  for (size_t i = 0; i < hoisted_.size(); ++i) {
    const HoistedPart& h = hoisted_[i];
    if (h.base == v.base && h.part.offset == v.offset && h.part.bytes == v.bytes)
      return static_cast<int>(i);
  }
  return -1;
}

// Which temporaries' labels are read: those that reach a register, memory,
// a sink or a guest helper, and what they are computed from.  A value used
// only as an address (without --taint-addresses or --sink-addresses) needs
// none -- and computing it anyway costs a guarded union call per address
// computation, which VEX cannot drop since dirty calls are never dead.
// One backward pass over the flat superblock.
void PropagationPass::find_needed_labels() {
  const bool addresses = options().taint_addresses || options().sink_addresses;
  need(in_->next);
  for (Int i = in_->stmts_used - 1; i >= 0; --i) {
    const IRStmt* st = in_->stmts[i];
    switch (st->tag) {
      case Ist_WrTmp: {
        const IRExpr* e = st->Ist.WrTmp.data;
        if (e->tag == Iex_Load && addresses) need(e->Iex.Load.addr);
        // A copy's or a unop's label is its operand's: a sink's reading
        // passes through.
        const IRExpr* same_label = passes_label_of(e);
        if (only_sink_reads(st->Ist.WrTmp.tmp) && same_label != nullptr)
          need_for_sink(same_label);
        else if (needed_[st->Ist.WrTmp.tmp])
          need_operands(e);
        break;
      }
      case Ist_Put: need(st->Ist.Put.data); break;
      case Ist_PutI: need(st->Ist.PutI.details->data); break;
      case Ist_Store:
        need(st->Ist.Store.data);
        if (addresses) need(st->Ist.Store.addr);
        break;
      case Ist_StoreG:
        need(st->Ist.StoreG.details->data);
        if (addresses) need(st->Ist.StoreG.details->addr);
        break;
      case Ist_LoadG:
        need(st->Ist.LoadG.details->alt);
        if (addresses) need(st->Ist.LoadG.details->addr);
        break;
      case Ist_CAS:
        need(st->Ist.CAS.details->dataLo);
        need(st->Ist.CAS.details->dataHi);
        if (addresses) need(st->Ist.CAS.details->addr);
        break;
      case Ist_LLSC:
        need(st->Ist.LLSC.storedata);
        if (addresses) need(st->Ist.LLSC.addr);
        break;
      case Ist_Dirty: {
        const IRDirty* d = st->Ist.Dirty.details;
        for (Int a = 0; d->args[a] != nullptr; ++a) need(d->args[a]);
        if (addresses && d->mFx != Ifx_None) need(d->mAddr);
        break;
      }
      case Ist_Exit: need_for_sink(st->Ist.Exit.guard); break;
      default: break;
    }
  }
}

// The operands whose labels' union is the label of `e`, in union mode:
// those of a binop (a comparison), triop, qop or pure helper (flags);
// count -1 for other expressions.
struct UnionOperands {
  static constexpr int kMax = 8;
  IRExpr* items[kMax];
  int count;
};

UnionOperands union_operands(const IRExpr* e) {
  UnionOperands u;
  u.count = 0;
  auto add = [&u](IRExpr* operand) {
    UNSTUCK_CHECK(u.count < UnionOperands::kMax);
    u.items[u.count++] = operand;
  };
  switch (e->tag) {
    case Iex_Binop:
      add(e->Iex.Binop.arg1);
      add(e->Iex.Binop.arg2);
      break;
    case Iex_Triop:
      add(e->Iex.Triop.details->arg1);
      add(e->Iex.Triop.details->arg2);
      add(e->Iex.Triop.details->arg3);
      break;
    case Iex_Qop:
      add(e->Iex.Qop.details->arg1);
      add(e->Iex.Qop.details->arg2);
      add(e->Iex.Qop.details->arg3);
      add(e->Iex.Qop.details->arg4);
      break;
    case Iex_CCall:
      for (Int a = 0; e->Iex.CCall.args[a] != nullptr; ++a) add(e->Iex.CCall.args[a]);
      break;
    default:
      u.count = -1;
  }
  return u;
}

// For a temporary whose label only a branch sink reads: the label of a
// comparison or a flags helper stays the parts of its union, and a unop
// passes its operand's parts on, so that the sink unites them in its own
// call (sinks.h).
bool PropagationPass::defer_union(IRTemp dst, const IRExpr* e) {
  if (copy_only_ || !only_sink_reads(dst)) return false;
  if (const IRExpr* arg = passes_label_of(e)) {
    if (arg->tag != Iex_RdTmp || deferred_[arg->Iex.RdTmp.tmp] < 0) return false;
    deferred_[dst] = deferred_[arg->Iex.RdTmp.tmp];
    return true;
  }
  const UnionOperands operands = union_operands(e);
  if (operands.count < 0) return false;
  Parts parts;
  parts.count = 0;
  for (int i = 0; i < operands.count; ++i) {
    IRExpr* label = label_of(operands.items[i]);
    if (LabelIR::is_empty(label)) continue;
    if (parts.count == kSinkParts)  // more parts than the sink takes
      parts.labels[kSinkParts - 1] = ir_.union_of(parts.labels[kSinkParts - 1], label);
    else
      parts.labels[parts.count++] = label;
  }
  deferred_[dst] = static_cast<int>(parts_.size());
  parts_.push_back(parts);
  return true;
}

// The temporaries label_of_expression reads the labels of.
void PropagationPass::need_operands(const IRExpr* e) {
  const UnionOperands operands = union_operands(e);
  for (int i = 0; i < operands.count; ++i) need(operands.items[i]);
  switch (e->tag) {
    case Iex_RdTmp: need(e); break;
    case Iex_Unop: need(e->Iex.Unop.arg); break;
    case Iex_ITE:
      need(e->Iex.ITE.cond);
      need(e->Iex.ITE.iftrue);
      need(e->Iex.ITE.iffalse);
      break;
    case Iex_Load:
      if (options().taint_addresses) need(e->Iex.Load.addr);
      break;
    default:  // Get, GetI, Const: no temporaries' labels; the rest above
      break;
  }
}


// ---- Labels ---------------------------------------------------------------------

IRExpr* PropagationPass::label_of(IRExpr* atom) {
  if (atom->tag != Iex_RdTmp) return LabelIR::empty();  // constants
  IRTemp t = atom->Iex.RdTmp.tmp;
  UNSTUCK_CHECK_MSG(needed_[t], "the label of a temporary find_needed_labels left out");
  UNSTUCK_CHECK_MSG(deferred_[t] < 0, "the label of a temporary only a branch sink reads");
  return labels_[t];
}

IRExpr* PropagationPass::label_of_args(IRExpr** args) {
  IRExpr* label = LabelIR::empty();
  for (Int i = 0; args[i] != nullptr; ++i)
    if (!is_IRExpr_VECRET_or_GSPTR(args[i])) label = ir_.union_of(label, label_of(args[i]));
  return label;
}

IRExpr* PropagationPass::address_label(IRExpr* addr) {
  return options().taint_addresses ? label_of(addr) : LabelIR::empty();
}

IRExpr* PropagationPass::label_of_binop(IRExpr* e) {
  IROp op = e->Iex.Binop.op;
  IRExpr* a = e->Iex.Binop.arg1;
  IRExpr* b = e->Iex.Binop.arg2;
  if (!copy_only_) return ir_.union_of(label_of(a), label_of(b));
  if (is_copy_op(op)) return ir_.union_of(label_of(a), label_of(b));
  if (is_byte_shift(op, b)) return label_of(a);
  if (is_and(op) && is_byte_mask(b)) return label_of(a);
  if (is_and(op) && is_byte_mask(a)) return label_of(b);
  return LabelIR::empty();
}

IRExpr* PropagationPass::label_of_expression(IRTemp dst, IRExpr* e) {
  switch (e->tag) {
    case Iex_Get:
      return ir_.get_register(e->Iex.Get.offset, e->Iex.Get.ty,
                              dst != IRTemp_INVALID && wants_handle_[dst] ? &handles_[dst]
                                                                           : nullptr);
    case Iex_GetI:
      return ir_.get_indexed(e->Iex.GetI.descr, e->Iex.GetI.ix, e->Iex.GetI.bias);
    case Iex_RdTmp:
      return label_of(e);
    case Iex_Const:
      return LabelIR::empty();
    case Iex_Unop:
      if (copy_only_ && !is_copy_op(e->Iex.Unop.op)) return LabelIR::empty();
      return label_of(e->Iex.Unop.arg);
    case Iex_Binop:
      return label_of_binop(e);
    case Iex_Triop: {
      if (copy_only_) return LabelIR::empty();
      const IRTriop* t = e->Iex.Triop.details;
      return ir_.union_of(ir_.union_of(label_of(t->arg1), label_of(t->arg2)),
                          label_of(t->arg3));
    }
    case Iex_Qop: {
      if (copy_only_) return LabelIR::empty();
      const IRQop* q = e->Iex.Qop.details;
      return ir_.union_of(ir_.union_of(label_of(q->arg1), label_of(q->arg2)),
                          ir_.union_of(label_of(q->arg3), label_of(q->arg4)));
    }
    case Iex_ITE: {
      // The selected value's labels, and (except in copy-only mode) the
      // condition's: which value it is depends on them.
      IRExpr* chosen = ir_.select(e->Iex.ITE.cond, label_of(e->Iex.ITE.iftrue),
                                  label_of(e->Iex.ITE.iffalse));
      if (copy_only_) return chosen;
      return ir_.union_of(chosen, label_of(e->Iex.ITE.cond));
    }
    case Iex_CCall:
      // Pure helpers (flags, conversions): the union of the arguments.
      if (copy_only_) return LabelIR::empty();
      return label_of_args(e->Iex.CCall.args);
    case Iex_Load:
      return label_of_load(dst, e->Iex.Load.addr, sizeofIRType(e->Iex.Load.ty), nullptr);
    default:
      UNSTUCK_UNREACHABLE("unexpected expression in flat IR");
  }
}

IRExpr* PropagationPass::label_of_load(IRTemp dst, IRExpr* addr, int size,
                                       IRExpr* guard) {
  check_address(addr, /*is_store=*/false, guard);
  int slot = dst != IRTemp_INVALID ? slots_[dst] : -1;
  IRExpr* snapshot_taken = nullptr;
  IRExpr** whole_handle =
      dst != IRTemp_INVALID && put_whole_[dst] ? &load_handles_[dst] : nullptr;
  IRExpr* loaded = ir_.load(addr, size, guard, slot, &snapshot_taken, whole_handle);
  IRExpr* from_address = address_label(addr);
  if (dst != IRTemp_INVALID) {
    snapshots_[dst] = snapshot_taken;
    load_addresses_[dst] = from_address;
  }
  return ir_.union_of(loaded, from_address);
}

void PropagationPass::check_address(IRExpr* addr, bool is_store, IRExpr* guard) {
  if (!options().sink_addresses || !is_atom_temp(addr)) return;
  emit_sink_check(ir_, site(SinkKind::kAddress, is_store ? "store" : "load"),
                  label_of(addr), guard);
}

// The labels of a stored value: uniform over its bytes, then, for a value
// loaded in this superblock, the loaded bytes' own labels copied exactly.
void PropagationPass::store_labels(IRExpr* addr, IRExpr* data, IRExpr* label) {
  int size = sizeofIRType(typeOfIRExpr(in_->tyenv, data));
  IRExpr* from_address = address_label(addr);
  IRExpr* stored = ir_.union_of(label, from_address);
  const View* v = copy_view(data, size);
  if (v != nullptr && v->kind == View::kRegister) {
    IRExpr* handle = ir_.offset_copy_handle(handles_[v->base], v->offset);
    if (!LabelIR::is_empty(handle)) {
      ir_.store_with_handle(addr, size, stored, handle, from_address);
      return;
    }
  }
  ir_.store(addr, size, stored);
  if (v == nullptr || v->kind != View::kLoad) return;
  if (slots_[v->base] < 0 || snapshots_[v->base] == nullptr) return;
  IRExpr* extra = ir_.union_of(load_addresses_[v->base], from_address);
  ir_.store_snapshot(addr, size, slots_[v->base], snapshots_[v->base], v->offset, extra);
}

// The copy handle a register gets from the value put into it.
IRExpr* PropagationPass::copy_handle_for(const IRExpr* data, int size) {
  const View* v = copy_view(data, size);
  if (v == nullptr) return LabelIR::empty();
  if (v->kind == View::kRegister) return ir_.offset_copy_handle(handles_[v->base], v->offset);
  if (slots_[v->base] < 0 || snapshots_[v->base] == nullptr) return LabelIR::empty();
  if (load_handles_[v->base] != nullptr && is_whole(*v, size)) return load_handles_[v->base];
  return ir_.save_copy_handle(slots_[v->base], snapshots_[v->base], v->offset, size);
}


// ---- Statements -----------------------------------------------------------------

void PropagationPass::on_imark(IRStmt* st) {
  ++seen_;
  pc_ = static_cast<Addr>(st->Ist.IMark.addr);
  copy(st);
  emit_function_sink_check(ir_, pc_, total_ - (seen_ - 1));
}

void PropagationPass::on_put(IRStmt* st) {
  IRExpr* data = st->Ist.Put.data;
  IRType type = typeOfIRExpr(in_->tyenv, data);
  int32_t offset = st->Ist.Put.offset;
  IRExpr* handle = copy_handle_offset(offset, sizeofIRType(type)) >= 0
                       ? copy_handle_for(data, sizeofIRType(type))
                       : nullptr;
  ir_.put_register(offset, type, label_of(data), handle);
  copy(st);
}

void PropagationPass::on_puti(IRStmt* st) {
  const IRPutI* p = st->Ist.PutI.details;
  ir_.put_indexed(p->descr, p->ix, p->bias, label_of(p->data));
  copy(st);
}

void PropagationPass::on_wrtmp(IRStmt* st) {
  IRTemp dst = st->Ist.WrTmp.tmp;
  if (!needed_[dst]) {
    const IRExpr* e = st->Ist.WrTmp.data;
    if (e->tag == Iex_Load) check_address(e->Iex.Load.addr, /*is_store=*/false, nullptr);
    copy(st);
    return;
  }
  if (defer_union(dst, st->Ist.WrTmp.data)) {
    copy(st);
    return;
  }
  IRExpr* label = label_of_expression(dst, st->Ist.WrTmp.data);
  if (exact_part_[dst]) label = label_of_part(dst, label);
  set_label(dst, label);
  copy(st);
}

// The label of a part of a loaded value, from its own bytes when the
// whole value's bytes had different labels (else `whole` is right).
IRExpr* PropagationPass::label_of_part(IRTemp dst, IRExpr* whole) {
  const View& v = views_[dst];
  for (size_t i = 0; i < known_parts_.size(); ++i) {
    const View& k = known_parts_[i].view;
    if (k.kind == v.kind && k.base == v.base && k.offset == v.offset && k.bytes == v.bytes)
      return known_parts_[i].label;
  }
  IRExpr* label = compute_label_of_part(v, whole);
  known_parts_.push_back(KnownPart{v, label});
  return label;
}

IRExpr* PropagationPass::compute_label_of_part(const View& v, IRExpr* whole) {
  const int slot = hoisted_slot(v);
  if (slot >= 0) return ir_.part_label(slot);
  if (v.kind == View::kLoad) {
    if (snapshots_[v.base] == nullptr) return whole;
    IRExpr* part = ir_.snapshot_range_label(slots_[v.base], snapshots_[v.base], v.offset,
                                            v.bytes, whole);
    return ir_.union_of(part, load_addresses_[v.base]);
  }
  return ir_.handle_range_label(ir_.offset_copy_handle(handles_[v.base], v.offset), v.bytes,
                                whole);
}

void PropagationPass::on_store(IRStmt* st) {
  IRExpr* addr = st->Ist.Store.addr;
  IRExpr* data = st->Ist.Store.data;
  check_address(addr, /*is_store=*/true, nullptr);
  store_labels(addr, data, label_of(data));
  copy(st);
}

void PropagationPass::on_storeg(IRStmt* st) {
  const IRStoreG* s = st->Ist.StoreG.details;
  check_address(s->addr, /*is_store=*/true, s->guard);
  int size = sizeofIRType(typeOfIRExpr(in_->tyenv, s->data));
  IRExpr* label = ir_.union_of(label_of(s->data), address_label(s->addr));
  ir_.store_guarded(s->addr, size, label, s->guard);
  copy(st);
}

void PropagationPass::on_loadg(IRStmt* st) {
  const IRLoadG* l = st->Ist.LoadG.details;
  const int size = vex::loaded_bytes(l->cvt);
  UNSTUCK_CHECK_MSG(size > 0, "unknown LoadG conversion");
  IRExpr* loaded = label_of_load(IRTemp_INVALID, l->addr, size, l->guard);
  set_label(l->dst, ir_.select(l->guard, loaded, label_of(l->alt)));
  copy(st);
}

// Compare-and-swap: the old value has the labels memory had; memory gets
// the new value's labels when the swap happened.
void PropagationPass::on_cas(IRStmt* st) {
  const IRCAS* cas = st->Ist.CAS.details;
  IRType type = typeOfIRExpr(in_->tyenv, cas->dataLo);
  int size = sizeofIRType(type);
  bool is_double = cas->oldHi != IRTemp_INVALID;
  IRExpr* high_addr =
      is_double ? ir_.bind(IRExpr_Binop(Iop_Add64, cas->addr, ir_.word(size))) : nullptr;
  check_address(cas->addr, /*is_store=*/true, nullptr);
  set_label(cas->oldLo, ir_.union_of(ir_.load(cas->addr, size, nullptr, -1),
                                     address_label(cas->addr)));
  if (is_double)
    set_label(cas->oldHi, ir_.union_of(ir_.load(high_addr, size, nullptr, -1),
                                       address_label(cas->addr)));
  copy(st);
  IRExpr* swapped = ir_.bind(IRExpr_Binop(equality_for(type), IRExpr_RdTmp(cas->oldLo),
                                          cas->expdLo));
  if (is_double)
    swapped = ir_.both(swapped, ir_.bind(IRExpr_Binop(equality_for(type),
                                                      IRExpr_RdTmp(cas->oldHi),
                                                      cas->expdHi)));
  IRExpr* from_address = address_label(cas->addr);
  ir_.store_guarded(cas->addr, size, ir_.union_of(label_of(cas->dataLo), from_address),
                    swapped);
  if (is_double)
    ir_.store_guarded(high_addr, size,
                      ir_.union_of(label_of(cas->dataHi), from_address), swapped);
}

void PropagationPass::on_llsc(IRStmt* st) {
  IRTemp result = st->Ist.LLSC.result;
  IRExpr* addr = st->Ist.LLSC.addr;
  IRExpr* data = st->Ist.LLSC.storedata;
  if (data == nullptr) {  // load-linked
    int size = sizeofIRType(typeOfIRTemp(in_->tyenv, result));
    set_label(result, label_of_load(IRTemp_INVALID, addr, size, nullptr));
    copy(st);
    return;
  }
  check_address(addr, /*is_store=*/true, nullptr);
  copy(st);
  int size = sizeofIRType(typeOfIRExpr(in_->tyenv, data));
  ir_.store_guarded(addr, size, ir_.union_of(label_of(data), address_label(addr)),
                    IRExpr_RdTmp(result));
  set_label(result, LabelIR::empty());
}

DirtyEffects* PropagationPass::effects_of(const IRDirty* d) {
  if (g_effects == nullptr) g_effects = new Arena();
  DirtyEffects* e = g_effects->make<DirtyEffects>();
  e->region_count = 0;
  for (Int i = 0; i < d->nFxState; ++i) {
    const auto& fx = d->fxState[i];
    int32_t repeats = 1 + fx.nRepeats;
    int32_t last = fx.offset + fx.nRepeats * fx.repeatLen + fx.size;
    if (!is_tracked_register(fx.offset, last - fx.offset)) continue;
    e->regions[e->region_count++] = DirtyEffects::Region{
        fx.offset, fx.size, repeats, fx.repeatLen,
        fx.fx == Ifx_Read || fx.fx == Ifx_Modify,
        fx.fx == Ifx_Write || fx.fx == Ifx_Modify};
  }
  e->reads_memory = d->mFx == Ifx_Read || d->mFx == Ifx_Modify;
  e->writes_memory = d->mFx == Ifx_Write || d->mFx == Ifx_Modify;
  e->memory_size = d->mSize;
  return e;
}

// A guest helper call (CPUID, x87 state saves, ...): the union of what it
// reads becomes the label of everything it writes, in a helper that
// reads and writes the shadow of the guest state it declares.
void PropagationPass::on_dirty(IRStmt* st) {
  const IRDirty* d = st->Ist.Dirty.details;
  check_address(d->mFx != Ifx_None ? d->mAddr : IRExpr_Const(IRConst_U64(0)),
                d->mFx == Ifx_Write || d->mFx == Ifx_Modify, d->guard);
  copy(st);
  IRExpr* args = copy_only_ ? LabelIR::empty() : label_of_args(d->args);
  DirtyEffects* e = effects_of(d);
  for (int32_t i = 0; i < e->region_count; ++i) {
    const DirtyEffects::Region& r = e->regions[i];
    if (!r.writes) continue;
    for (int32_t k = 0; k < r.repeats; ++k) ir_.clear_copy_handles(r.offset + k * r.stride, r.size);
  }
  if (copy_only_ || (e->region_count == 0 && d->mFx == Ifx_None)) {
    if (d->tmp != IRTemp_INVALID) set_label(d->tmp, args);
    return;
  }
  IRExpr* maddr = d->mFx != Ifx_None ? d->mAddr : ir_.word(0);
  IRDirty* call = ir_.helper_call(
      d->guard, "taint_dirty_effects", reinterpret_cast<void*>(&helper_dirty_effects),
      mkIRExprVec_4(ir_.word(reinterpret_cast<HWord>(e)), IRExpr_GSPTR(),
                    ir_.widen(args), maddr),
      true);
  call->nFxState = e->region_count;
  for (int32_t i = 0; i < e->region_count; ++i) {
    const DirtyEffects::Region& r = e->regions[i];
    int32_t first = r.offset & ~3;
    int32_t end = r.offset + (r.repeats - 1) * r.stride + r.size;
    call->fxState[i].fx = r.writes ? Ifx_Modify : Ifx_Read;
    call->fxState[i].offset = static_cast<UShort>(kArea + first);
    call->fxState[i].size = static_cast<UShort>(((end + 3) & ~3) - first);
    call->fxState[i].nRepeats = 0;
    call->fxState[i].repeatLen = 0;
  }
  if (call->nFxState == 0) {
    // The helper still takes the guest-state pointer, which VEX allows
    // only with some declared state: declare the (untouched) first word.
    call->nFxState = 1;
    call->fxState[0].fx = Ifx_Read;
    call->fxState[0].offset = static_cast<UShort>(kArea);
    call->fxState[0].size = 8;
    call->fxState[0].nRepeats = 0;
    call->fxState[0].repeatLen = 0;
  }
  IRTemp result = ir_.add_call(call);
  if (d->tmp != IRTemp_INVALID) {
    IRExpr* label = ir_.bind(IRExpr_Unop(Iop_64to32, IRExpr_RdTmp(result)));
    set_label(d->tmp, ir_.select(d->guard, label, LabelIR::empty()));
  }
}

// VEX lifts a locked read-modify-write as a compare-and-swap and an exit
// back to the same instruction when the swap failed: a retry, not a
// branch of the program.
bool is_retry(const IRStmt* st, Addr pc) {
  const IRConst* dst = st->Ist.Exit.dst;
  return dst->tag == Ico_U64 && dst->Ico.U64 == pc;
}

void PropagationPass::on_exit(IRStmt* st) {
  IRExpr* guard = st->Ist.Exit.guard;
  if (st->Ist.Exit.jk == Ijk_Boring && is_atom_temp(guard) && !is_retry(st, pc_)) {
    const int deferred = deferred_[guard->Iex.RdTmp.tmp];
    if (deferred < 0) {
      emit_sink_check(ir_, site(SinkKind::kBranch, "conditional branch"), label_of(guard),
                      nullptr);
    } else if (parts_[deferred].count == 1) {
      emit_sink_check(ir_, site(SinkKind::kBranch, "conditional branch"),
                      parts_[deferred].labels[0], nullptr);
    } else if (parts_[deferred].count > 1) {
      emit_sink_check_of_parts(ir_, site(SinkKind::kBranch, "conditional branch"),
                               parts_[deferred].labels, parts_[deferred].count);
    }
  }
  copy(st);
}

// A computed next address: an indirect jump, call or return.
void PropagationPass::on_next() {
  if (!is_atom_temp(in_->next) || seen_ == 0) return;
  SinkKind kind;
  const char* detail;
  switch (in_->jumpkind) {
    case Ijk_Boring: kind = SinkKind::kJump; detail = "indirect jump"; break;
    case Ijk_Ret: kind = SinkKind::kJump; detail = "return"; break;
    case Ijk_Call: kind = SinkKind::kCall; detail = "indirect call"; break;
    default: return;
  }
  emit_sink_check(ir_, site(kind, detail), label_of(in_->next), nullptr);
}

}  // namespace

IRSB* add_propagation_pass(IRSB* in) {
  PropagationPass pass(in);
  return pass.run();
}

}  // namespace unstuck::taint
