#include "tools/taint/label_ir.h"

#include "shared/rt/check.h"
#include "shared/shadow/shadow_registers_ir.h"
#include "tools/taint/copy_ring.h"
#include "tools/taint/propagation_helpers.h"
#include "tools/taint/shadow_state.h"

namespace unstuck::taint {
namespace {

constexpr int32_t kArea = shadow::kAmd64GuestStateBytes;  // shadow area 1

const char* kUnionName = "taint_union";

IRType shadow_type(int32_t bytes) { return shadow::register_shadow_type(bytes); }

}  // namespace

LabelIR::LabelIR(IRSB* out)
    : out_(out), view_(memory_labels().view()), memory_(out, view_) {
  // The inline loads below assume a 16- or 32-bit element per byte, and
  // overread elements that differ from every label (see load()).
  UNSTUCK_CHECK((view_.element_shift == 1 || view_.element_shift == 2) &&
                view_.granule_shift == 0);
  UNSTUCK_CHECK(view_.overread_value ==
                (narrow() ? shadow::kNeverANarrowId : shadow::kNeverAnId));
}

// ---- Building blocks ---------------------------------------------------------

IRExpr* LabelIR::empty() { return IRExpr_Const(IRConst_U32(0)); }

bool LabelIR::is_empty(const IRExpr* label) {
  return label->tag == Iex_Const && label->Iex.Const.con->tag == Ico_U32 &&
         label->Iex.Const.con->Ico.U32 == 0;
}

IRExpr* LabelIR::bind(IRExpr* e) { return memory_.bind(e); }

IRExpr* LabelIR::word(uint64_t value) { return IRExpr_Const(IRConst_U64(value)); }

IRExpr* LabelIR::widen(IRExpr* label) {
  if (is_empty(label)) return word(0);
  return bind(IRExpr_Unop(Iop_32Uto64, label));
}

IRExpr* LabelIR::nonempty(IRExpr* label) {
  return bind(IRExpr_Binop(Iop_CmpNE32, label, empty()));
}

IRExpr* LabelIR::both(IRExpr* a, IRExpr* b) {
  if (a == nullptr) return b;
  if (b == nullptr) return a;
  return bind(IRExpr_Binop(Iop_And1, a, b));
}

IRDirty* LabelIR::helper_call(IRExpr* guard, const char* name, void* fn,
                              IRExpr** args, bool returns) {
  void* entry = VG_(fnptr_to_fnentry)(fn);
  IRDirty* call;
  if (returns) {
    call = unsafeIRDirty_1_N(newIRTemp(out_->tyenv, Ity_I64), 0, name, entry, args);
  } else {
    call = unsafeIRDirty_0_N(0, name, entry, args);
  }
  if (guard != nullptr) call->guard = guard;
  return call;
}

IRTemp LabelIR::add_call(IRDirty* call) {
  addStmtToIRSB(out_, IRStmt_Dirty(call));
  return call->tmp;
}

// ---- Label algebra -------------------------------------------------------------

// a | b is the union whenever one side is empty or both are equal; only
// two different non-empty sets need the helper.
IRExpr* LabelIR::union_of(IRExpr* a, IRExpr* b) {
  if (is_empty(a)) return b;
  if (is_empty(b)) return a;
  if (a->tag == Iex_RdTmp && b->tag == Iex_RdTmp && a->Iex.RdTmp.tmp == b->Iex.RdTmp.tmp)
    return a;
  IRExpr* either = bind(IRExpr_Binop(Iop_Or32, a, b));
  // Different and both non-empty, with a single compare (VEX materialises
  // every Ity_I1 value and tests it again): with A, B the ids widened to 64
  // bits, A - 1 and B - 1 stay below 2^32 unless A or B is 0 (then they are
  // all ones), and (A ^ B) - 1 does unless A == B.
  IRExpr* wide_a = widen(a);
  IRExpr* wide_b = widen(b);
  auto minus_one = [this](IRExpr* x) { return bind(IRExpr_Binop(Iop_Sub64, x, word(1))); };
  IRExpr* all = bind(IRExpr_Binop(
      Iop_Or64, bind(IRExpr_Binop(Iop_Or64, minus_one(wide_a), minus_one(wide_b))),
      minus_one(bind(IRExpr_Binop(Iop_Xor64, wide_a, wide_b)))));
  // Zero exactly when the helper is needed; tested anew at each use (see
  // load()).
  IRExpr* high = bind(IRExpr_Binop(Iop_Shr64, all, IRExpr_Const(IRConst_U8(32))));
  auto need = [&] { return bind(IRExpr_Binop(Iop_CmpEQ64, high, word(0))); };
  IRTemp result = add_call(helper_call(need(), kUnionName,
                                       reinterpret_cast<void*>(&helper_union),
                                       mkIRExprVec_2(wide_a, wide_b), true));
  IRExpr* merged = bind(IRExpr_Unop(Iop_64to32, IRExpr_RdTmp(result)));
  return bind(IRExpr_ITE(need(), merged, either));
}

// One guarded call for every part, instead of one per part: a guarded
// call costs its argument moves, its result's selection and the registers
// it clobbers even when it is not made, and nearly always it is not (no
// register holds a copy handle).
void LabelIR::register_part_labels(const RegisterPart* parts, int count) {
  UNSTUCK_CHECK(count > 0 && count <= kMaxRegisterParts);
  IRExpr* handles = empty();
  int32_t first_field = parts[0].word_field, end_field = parts[0].word_field + 8;
  for (int i = 0; i < count; ++i) {
    const int32_t field = register_shadow_offset(parts[i].word_field);
    addStmtToIRSB(out_, IRStmt_Put(part_label_slot_offset(parts[i].slot),
                                   bind(IRExpr_Get(field, Ity_I32))));
    handles = bind(IRExpr_Binop(Iop_Or32, handles, bind(IRExpr_Get(field + 4, Ity_I32))));
    if (parts[i].word_field < first_field) first_field = parts[i].word_field;
    if (parts[i].word_field + 8 > end_field) end_field = parts[i].word_field + 8;
  }
  uint64_t codes[3] = {0, 0, 0};
  for (int i = 0; i * kPartsPerArgument < count; ++i) {
    const int n = count - i * kPartsPerArgument;
    codes[i] = encode_register_parts(parts + i * kPartsPerArgument,
                                     n < kPartsPerArgument ? n : kPartsPerArgument);
  }
  // (Up to three parts, the usual case, take a call of two arguments: VEX
  // moves even constant zeros into their registers.)
  IRDirty* call =
      count <= kPartsPerArgument
          ? helper_call(nonempty(handles), "taint_register_part_labels",
                        reinterpret_cast<void*>(&helper_register_part_labels_3),
                        mkIRExprVec_2(IRExpr_GSPTR(), word(codes[0])), false)
          : helper_call(nonempty(handles), "taint_register_part_labels",
                        reinterpret_cast<void*>(&helper_register_part_labels),
                        mkIRExprVec_4(IRExpr_GSPTR(), word(codes[0]), word(codes[1]),
                                      word(codes[2])),
                        false);
  // It reads the registers' shadow and rewrites the slots; declaring the
  // shadow modified too makes the code read it again after the call rather
  // than keep it in registers across it.
  call->nFxState = 2;
  call->fxState[0] = {Ifx_Modify, static_cast<UShort>(register_shadow_offset(first_field)),
                      static_cast<UShort>(end_field - first_field), 0, 0};
  call->fxState[1] = {Ifx_Modify, static_cast<UShort>(part_label_slot_offset(0)),
                      static_cast<UShort>(4 * kMaxRegisterParts), 0, 0};
  add_call(call);
}

IRExpr* LabelIR::part_label(int slot) {
  return bind(IRExpr_Get(part_label_slot_offset(slot), Ity_I32));
}

IRExpr* LabelIR::select(IRExpr* condition, IRExpr* if_true, IRExpr* if_false) {
  if (is_empty(if_true) && is_empty(if_false)) return empty();
  return bind(IRExpr_ITE(condition, if_true, if_false));
}

// ---- Registers -------------------------------------------------------------------

// `elements`: `bytes` of shadow (4-byte elements side by side).
IRExpr* LabelIR::union_of_elements(IRExpr* elements, int32_t bytes) {
  switch (bytes) {
    case 4:
      return elements;
    case 8: {
      IRExpr* low = bind(IRExpr_Unop(Iop_64to32, elements));
      IRExpr* high = bind(IRExpr_Unop(Iop_64HIto32, elements));
      return union_of(low, high);
    }
    case 16:
    case 32: {
      // Usually every element is the same (a vector written whole): one
      // compare chain, and a helper for the rest.
      IRExpr* words[4] = {nullptr, nullptr, nullptr, nullptr};
      int n = bytes / 8;
      for (int i = 0; i < n; ++i) {
        IROp op = bytes == 16 ? (i == 0 ? Iop_V128to64 : Iop_V128HIto64)
                              : static_cast<IROp>(Iop_V256to64_0 + i);
        words[i] = bind(IRExpr_Unop(op, elements));
      }
      // Zero when they are: the first word's halves, then each other word
      // against the first, as one 64-bit value tested at each use.
      IRExpr* first = bind(IRExpr_Unop(Iop_64to32, words[0]));
      IRExpr* differs = bind(IRExpr_Binop(
          Iop_Xor64, bind(IRExpr_Binop(Iop_Shr64, words[0], IRExpr_Const(IRConst_U8(32)))),
          widen(first)));
      for (int i = 1; i < n; ++i)
        differs = bind(IRExpr_Binop(Iop_Or64, differs,
                                    bind(IRExpr_Binop(Iop_Xor64, words[0], words[i]))));
      for (int i = n; i < 4; ++i) words[i] = word(0);
      IRTemp result = add_call(helper_call(
          memory_.nonzero(differs), "taint_union_elements",
          reinterpret_cast<void*>(&helper_union_elements),
          mkIRExprVec_4(words[0], words[1], words[2], words[3]), true));
      IRExpr* merged = bind(IRExpr_Unop(Iop_64to32, IRExpr_RdTmp(result)));
      return bind(IRExpr_ITE(memory_.nonzero(differs), merged, first));
    }
    default:
      UNSTUCK_UNREACHABLE("register shadow of an unexpected size");
  }
}

// The label repeated over `bytes` of shadow.
IRExpr* LabelIR::replicate(IRExpr* label, int32_t bytes) {
  if (is_empty(label)) {
    switch (bytes) {
      case 4: return empty();
      case 8: return word(0);
      case 16: return IRExpr_Const(IRConst_V128(0));
      default: return IRExpr_Const(IRConst_V256(0));
    }
  }
  if (bytes == 4) return label;
  IRExpr* pair = bind(IRExpr_Binop(Iop_32HLto64, label, label));
  if (bytes == 8) return pair;
  IRExpr* quad = bind(IRExpr_Binop(Iop_64HLtoV128, pair, pair));
  if (bytes == 16) return quad;
  return bind(IRExpr_Binop(Iop_V128HLtoV256, quad, quad));
}

IRExpr* LabelIR::get_register(int32_t offset, IRType type, IRExpr** handle) {
  int32_t size = sizeofIRType(type);
  if (handle != nullptr) *handle = empty();
  if (!is_tracked_register(offset, size)) return empty();
  if (is_word_field(offset, size)) {
    if (handle == nullptr) return bind(IRExpr_Get(kArea + (offset & ~7), Ity_I32));
    IRExpr* both_elements = bind(IRExpr_Get(kArea + (offset & ~7), Ity_I64));
    *handle = bind(IRExpr_Unop(Iop_64HIto32, both_elements));
    IRExpr* label = bind(IRExpr_Unop(Iop_64to32, both_elements));
    split_words_.push_back(
        SplitWord{label->Iex.RdTmp.tmp, (*handle)->Iex.RdTmp.tmp, both_elements});
    return label;
  }
  if (handle != nullptr && is_vector_register(offset, size))
    *handle = bind(IRExpr_Get(copy_handle_offset(offset, size), Ity_I32));
  shadow::RegisterSpan span = register_layout().span(offset, size);
  IRExpr* elements = bind(IRExpr_Get(span.shadow_offset, shadow_type(span.bytes)));
  return union_of_elements(elements, span.bytes);
}

void LabelIR::clear_copy_handles(int32_t offset, int32_t size) {
  for (int32_t at = offset & ~7; at < offset + size; at += 8) {
    int32_t slot = copy_handle_offset(at, 1);
    if (slot < 0) continue;
    if (is_vector_register(at, 1) && vector_register_start(at) != at) continue;
    addStmtToIRSB(out_, IRStmt_Put(slot, empty()));
  }
}

void LabelIR::put_register(int32_t offset, IRType type, IRExpr* label, IRExpr* handle) {
  int32_t size = sizeofIRType(type);
  if (!is_tracked_register(offset, size)) return;
  if (handle == nullptr) handle = empty();
  if (is_word_field(offset, size)) {
    int32_t field = kArea + (offset & ~7);
    // Only a whole register keeps a handle; a part (AL, AX) is merged into
    // the low element, which labels the whole register.
    IRExpr* value = size == 8 ? label : union_of(bind(IRExpr_Get(field, Ity_I32)), label);
    if (size != 8) handle = empty();
    // (VEX does not fold 32HLto64(0, x) into 32Uto64(x): three host
    // instructions more at every write of an integer register.)
    IRExpr* pair = is_empty(handle) ? widen(value) : rejoined(value, handle);
    addStmtToIRSB(out_, IRStmt_Put(field, pair));
    return;
  }
  if (is_vector_register(offset, size)) {
    // The handle describes the register from its first byte.
    if (vector_register_start(offset) != offset) handle = empty();
    addStmtToIRSB(out_, IRStmt_Put(copy_handle_offset(offset, size), handle));
  }
  shadow::RegisterSpan span = register_layout().span(offset, size);
  IRExpr* value = label;
  if (!span.covers_exactly) {
    if (is_empty(label)) return;  // merging nothing into the old labels
    IRExpr* old = union_of_elements(
        bind(IRExpr_Get(span.shadow_offset, shadow_type(span.bytes))), span.bytes);
    value = union_of(old, label);
  }
  addStmtToIRSB(out_, IRStmt_Put(span.shadow_offset, replicate(value, span.bytes)));
}

IRExpr* LabelIR::rejoined(IRExpr* label, IRExpr* handle) {
  if (label->tag == Iex_RdTmp && handle->tag == Iex_RdTmp) {
    for (const SplitWord& w : split_words_)
      if (w.label == label->Iex.RdTmp.tmp && w.handle == handle->Iex.RdTmp.tmp) return w.word;
  }
  return bind(IRExpr_Binop(Iop_32HLto64, handle, label));
}

// GetI/PutI: the x87 registers (word fields, one shadow word each) and
// tags (untracked).  The shadow array is the guest one moved into the
// shadow area, with an integer element of the same size.
IRExpr* LabelIR::get_indexed(const IRRegArray* array, IRExpr* index, Int bias) {
  int32_t element = sizeofIRType(array->elemTy);
  if (!is_tracked_register(array->base, element * array->nElems) || element % 4 != 0)
    return empty();
  IRType type = element == 8 ? Ity_I64 : Ity_I32;
  IRRegArray* shadow_array = mkIRRegArray(kArea + array->base, type, array->nElems);
  IRExpr* value = bind(IRExpr_GetI(shadow_array, index, bias));
  if (element == 8) return bind(IRExpr_Unop(Iop_64to32, value));
  return value;
}

void LabelIR::put_indexed(const IRRegArray* array, IRExpr* index, Int bias,
                          IRExpr* label) {
  int32_t element = sizeofIRType(array->elemTy);
  if (!is_tracked_register(array->base, element * array->nElems) || element % 4 != 0)
    return;
  IRType type = element == 8 ? Ity_I64 : Ity_I32;
  IRRegArray* shadow_array = mkIRRegArray(kArea + array->base, type, array->nElems);
  // x87 registers are word fields: the label low, no copy handle high.
  IRExpr* value = element == 8 ? (is_empty(label) ? word(0) : bind(IRExpr_Unop(Iop_32Uto64, label)))
                               : label;
  addStmtToIRSB(out_, IRStmt_PutI(mkIRPutI(shadow_array, index, bias, value)));
}

// ---- Memory ------------------------------------------------------------------------

// The element at `where`, widened to 64 bits by one zero-extending load
// (VEX folds 16Uto64 of a load; a 16-bit load widened to 32 bits, then to
// 64, took two instructions more).
IRExpr* LabelIR::load_element_word(IRExpr* where) {
  IRExpr* element = bind(IRExpr_Load(Iend_LE, narrow() ? Ity_I16 : Ity_I32, where));
  return bind(IRExpr_Unop(narrow() ? Iop_16Uto64 : Iop_32Uto64, element));
}

IRExpr* LabelIR::as_element(IRExpr* label) {
  if (!narrow()) return label;
  if (is_empty(label)) return IRExpr_Const(IRConst_U16(0));
  return bind(IRExpr_Unop(Iop_32to16, label));
}

// Ity_I64, zero iff every element in the `bytes` at `base` is `first` (a
// label widened to Ity_I64): one 32-bit word for 4 bytes, 64-bit words up
// to 32 bytes, 128-bit vectors beyond.
IRExpr* LabelIR::element_block_differs(IRExpr* base, int bytes, IRExpr* first) {
  // (A multiply: VEX builds 32HLto64(first, first) with five instructions.)
  IRExpr* pattern = bind(IRExpr_Binop(
      Iop_Mul64, first, word(narrow() ? 0x0001000100010001ull : 0x0000000100000001ull)));
  if (bytes == 4) {
    IRExpr* loaded = bind(IRExpr_Load(Iend_LE, Ity_I32, base));
    IRExpr* differs =
        bind(IRExpr_Binop(Iop_Xor32, loaded, bind(IRExpr_Unop(Iop_64to32, pattern))));
    return bind(IRExpr_Unop(Iop_32Uto64, differs));
  }
  const bool vectors = bytes > 32;
  IRExpr* pattern128 =
      vectors ? bind(IRExpr_Binop(Iop_64HLtoV128, pattern, pattern)) : nullptr;
  IRExpr* differences = nullptr;
  for (int at = 0; at < bytes; at += vectors ? 16 : 8) {
    IRExpr* where = at == 0 ? base : bind(IRExpr_Binop(Iop_Add64, base, word(at)));
    IRExpr* loaded = bind(IRExpr_Load(Iend_LE, vectors ? Ity_V128 : Ity_I64, where));
    IRExpr* differs = bind(IRExpr_Binop(vectors ? Iop_XorV128 : Iop_Xor64, loaded,
                                        vectors ? pattern128 : pattern));
    differences = differences == nullptr
                      ? differs
                      : bind(IRExpr_Binop(vectors ? Iop_OrV128 : Iop_Or64, differences, differs));
  }
  if (!vectors) return differences;
  return bind(IRExpr_Binop(Iop_Or64, bind(IRExpr_Unop(Iop_V128HIto64, differences)),
                           bind(IRExpr_Unop(Iop_V128to64, differences))));
}

IRExpr* LabelIR::load(IRExpr* addr, int size, IRExpr* guard, int snapshot_slot,
                      IRExpr** took_helper, IRExpr** whole_handle) {
  // The table walk of shadow_ir.h without its test for the chunk's end: an
  // access that runs past the end reads the overread elements, which hold
  // an id that cannot exist, so that its elements differ from the first.
  // Above the primary region, where the table's index wraps, the helper
  // answers too.  All of it is one 64-bit value, zero on the fast path.
  IRExpr* base = bind(IRExpr_Binop(Iop_Add64, memory_.chunk_of(addr),
                                   memory_.offset_in_chunk(addr)));
  IRExpr* first_word = load_element_word(base);
  IRExpr* first = bind(IRExpr_Unop(Iop_64to32, first_word));  // (no instruction)
  IRExpr* slow =
      bind(IRExpr_Binop(Iop_Shr64, addr, IRExpr_Const(IRConst_U8(shadow::kPrimaryShift))));
  if (size == 2) {  // (one compare of the second element with the first)
    IRExpr* second_word = load_element_word(
        bind(IRExpr_Binop(Iop_Add64, base, word(uint64_t{1} << view_.element_shift))));
    IRExpr* differs = bind(IRExpr_Binop(Iop_Xor64, second_word, first_word));
    slow = bind(IRExpr_Binop(Iop_Or64, slow, differs));
  } else if (size > 2) {
    IRExpr* differs = element_block_differs(base, size << view_.element_shift, first_word);
    slow = bind(IRExpr_Binop(Iop_Or64, slow, differs));
  }
  // A test for each use: VEX compiles a comparison used once into the
  // flags its use needs, but sets a register from one used twice and tests
  // that again at each use.
  auto need = [&] { return both(guard, memory_.nonzero(slow)); };
  if (took_helper != nullptr) *took_helper = need();
  const bool with_handle = whole_handle != nullptr && snapshot_slot >= 0;
  IRDirty* call;
  if (with_handle) {
    call = helper_call(need(), "taint_snapshot_load_with_handle",
                       reinterpret_cast<void*>(&helper_snapshot_load_with_handle_packed),
                       mkIRExprVec_2(word(pack_slot_and_size(snapshot_slot, size)), addr), true);
  } else if (snapshot_slot >= 0) {
    call = helper_call(need(), "taint_snapshot_load",
                       reinterpret_cast<void*>(&helper_snapshot_load_packed),
                       mkIRExprVec_2(word(pack_slot_and_size(snapshot_slot, size)), addr), true);
  } else if (LoadLabelHelper of_size = load_label_helper(size)) {
    call = helper_call(need(), "taint_load_label", reinterpret_cast<void*>(of_size),
                       mkIRExprVec_1(addr), true);
  } else {
    call = helper_call(need(), "taint_load_label", reinterpret_cast<void*>(&helper_load_label),
                       mkIRExprVec_2(addr, word(size)), true);
  }
  IRTemp result = add_call(call);
  if (with_handle) {
    IRExpr* handle = bind(IRExpr_Unop(Iop_64HIto32, IRExpr_RdTmp(result)));
    *whole_handle = bind(IRExpr_ITE(need(), handle, empty()));
  }
  IRExpr* label = bind(IRExpr_Unop(Iop_64to32, IRExpr_RdTmp(result)));
  return bind(IRExpr_ITE(need(), label, first));
}

void LabelIR::store(IRExpr* addr, int size, IRExpr* label) {
  memory_.store_uniform(addr, size, as_element(label));
}

void LabelIR::store_snapshot(IRExpr* addr, int size, int snapshot_slot,
                             IRExpr* snapshot_taken, int offset, IRExpr* extra) {
  add_call(helper_call(snapshot_taken, "taint_store_snapshot",
                       reinterpret_cast<void*>(&helper_store_snapshot),
                       mkIRExprVec_5(word(snapshot_slot), addr, word(size), word(offset),
                                     widen(extra)),
                       false));
}

IRExpr* LabelIR::save_copy_handle(int snapshot_slot, IRExpr* snapshot_taken, int offset,
                                  int size) {
  IRTemp result = add_call(helper_call(snapshot_taken, "taint_save_handle",
                                       reinterpret_cast<void*>(&helper_save_handle),
                                       mkIRExprVec_3(word(snapshot_slot), word(offset),
                                                     word(size)),
                                       true));
  IRExpr* handle = bind(IRExpr_Unop(Iop_64to32, IRExpr_RdTmp(result)));
  return bind(IRExpr_ITE(snapshot_taken, handle, empty()));
}

IRExpr* LabelIR::snapshot_range_label(int snapshot_slot, IRExpr* snapshot_taken, int offset,
                                      int size, IRExpr* otherwise) {
  IRTemp result = add_call(helper_call(snapshot_taken, "taint_snapshot_range",
                                       reinterpret_cast<void*>(&helper_snapshot_range_label),
                                       mkIRExprVec_3(word(snapshot_slot), word(offset), word(size)),
                                       true));
  IRExpr* label = bind(IRExpr_Unop(Iop_64to32, IRExpr_RdTmp(result)));
  return bind(IRExpr_ITE(snapshot_taken, label, otherwise));
}

IRExpr* LabelIR::handle_range_label(IRExpr* handle, int size, IRExpr* otherwise) {
  if (is_empty(handle)) return otherwise;
  IRExpr* has = nonempty(handle);
  IRTemp result = add_call(helper_call(has, "taint_handle_range",
                                       reinterpret_cast<void*>(&helper_handle_range_label),
                                       mkIRExprVec_3(widen(handle), word(size), widen(otherwise)),
                                       true));
  IRExpr* label = bind(IRExpr_Unop(Iop_64to32, IRExpr_RdTmp(result)));
  return bind(IRExpr_ITE(has, label, otherwise));
}

IRExpr* LabelIR::offset_copy_handle(IRExpr* handle, int offset) {
  if (offset == 0 || is_empty(handle)) return handle;
  IRExpr* moved = bind(IRExpr_Binop(Iop_Add32, handle, IRExpr_Const(IRConst_U32(offset))));
  return bind(IRExpr_ITE(nonempty(handle), moved, empty()));
}

void LabelIR::store_with_handle(IRExpr* addr, int size, IRExpr* label, IRExpr* handle,
                                IRExpr* extra) {
  shadow::ShadowIR::InlineStore store =
      memory_.store_uniform_inline(addr, size, as_element(label));
  IRExpr* wide_handle = widen(handle);
  IRExpr* need = memory_.nonzero(bind(IRExpr_Binop(Iop_Or64, store.unfinished, wide_handle)));
  StoreWithHandleHelper of_size = store_with_handle_helper(size);
  if (is_empty(extra) && of_size != nullptr) {
    add_call(helper_call(need, "taint_store_with_handle", reinterpret_cast<void*>(of_size),
                         mkIRExprVec_3(addr, store.wide_value, wide_handle), false));
    return;
  }
  add_call(helper_call(need, "taint_store_with_handle",
                       reinterpret_cast<void*>(&helper_store_with_handle),
                       mkIRExprVec_5(addr, word(size), store.wide_value, wide_handle,
                                     widen(extra)),
                       false));
}

void LabelIR::store_guarded(IRExpr* addr, int size, IRExpr* label, IRExpr* guard) {
  // Nothing to do when an empty label meets empty memory.
  IRExpr* matters = bind(IRExpr_Binop(
      Iop_Or1, memory_.negate(memory_.all_default(addr, size)),
      is_empty(label) ? IRExpr_Const(IRConst_U1(False)) : nonempty(label)));
  add_call(helper_call(both(guard, matters), "taint_store_label",
                       reinterpret_cast<void*>(&helper_store_label),
                       mkIRExprVec_3(addr, word(size), widen(label)), false));
}

// ---- Copy operations ------------------------------------------------------------------

bool is_copy_op(IROp op) {
  switch (op) {
    // Widening and narrowing integer casts.
    case Iop_8Uto16: case Iop_8Uto32: case Iop_8Uto64: case Iop_16Uto32:
    case Iop_16Uto64: case Iop_32Uto64: case Iop_8Sto16: case Iop_8Sto32:
    case Iop_8Sto64: case Iop_16Sto32: case Iop_16Sto64: case Iop_32Sto64:
    case Iop_64to8: case Iop_32to8: case Iop_64to16: case Iop_16to8:
    case Iop_16HIto8: case Iop_32to16: case Iop_32HIto16: case Iop_64to32:
    case Iop_64HIto32: case Iop_128to64: case Iop_128HIto64:
    // Concatenations.
    case Iop_8HLto16: case Iop_16HLto32: case Iop_32HLto64: case Iop_64HLto128:
    case Iop_64HLtoV128: case Iop_V128HLtoV256:
    // Vector lanes and reinterpretations.
    case Iop_V128to64: case Iop_V128HIto64: case Iop_64UtoV128: case Iop_32UtoV128:
    case Iop_V128to32: case Iop_SetV128lo64: case Iop_SetV128lo32:
    case Iop_V256to64_0: case Iop_V256to64_1: case Iop_V256to64_2:
    case Iop_V256to64_3: case Iop_V256toV128_0: case Iop_V256toV128_1:
    case Iop_ReinterpF64asI64: case Iop_ReinterpI64asF64:
    case Iop_ReinterpF32asI32: case Iop_ReinterpI32asF32:
    case Iop_F32toF64:
    // Byte moves: byte swaps, shuffles, interleaves, broadcasts.
    case Iop_Reverse8sIn32_x1: case Iop_Reverse8sIn64_x1:
    case Iop_Perm8x16: case Iop_InterleaveLO8x16: case Iop_InterleaveHI8x16:
    case Iop_InterleaveLO16x8: case Iop_InterleaveHI16x8:
    case Iop_InterleaveLO32x4: case Iop_InterleaveHI32x4:
    case Iop_InterleaveLO64x2: case Iop_InterleaveHI64x2:
    case Iop_Dup8x16: case Iop_Dup16x8: case Iop_Dup32x4:
      return true;
    default:
      return false;
  }
}

}  // namespace unstuck::taint
