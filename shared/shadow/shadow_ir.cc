#include "shared/shadow/shadow_ir.h"

#include "shared/rt/check.h"
#include "shared/vex/helper_of_size.h"

namespace unstuck::shadow {
namespace {

// An access's element block is read before knowing whether it stays in
// its chunk: it never reaches past the overread bytes.
constexpr int kMaxBlockBytes = kChunkOverreadBytes;
// Element blocks up to this size are read as 64-bit words, bigger ones as
// 128-bit vectors.
constexpr int kMaxWordBlockBytes = 32;

// The slow paths.  Arguments are host words, as dirty calls pass them.
HWord load_slow(HWord table, HWord addr) {
  return reinterpret_cast<ShadowTable*>(table)->get(addr);
}

void store_slow(HWord table, HWord addr, HWord size, HWord value) {
  reinterpret_cast<ShadowTable*>(table)->set_range(addr, size, value);
}

// The same with the size in the function (vex/helper_of_size.h).
template <int kSize>
struct StoreSlowOfSize {
  static void call(HWord table, HWord addr, HWord value) { store_slow(table, addr, kSize, value); }
};

uint64_t replicate(uint64_t value, unsigned element_bytes) {
  uint64_t pattern = value;
  for (unsigned bits = element_bytes * 8; bits < 64; bits *= 2)
    pattern |= pattern << bits;
  return pattern;
}

uint64_t low_bytes_mask(int bytes) {
  return bytes >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * bytes)) - 1;
}

IRType integer_type(int bytes) {
  switch (bytes) {
    case 1: return Ity_I8;
    case 2: return Ity_I16;
    case 4: return Ity_I32;
    default: return Ity_I64;
  }
}

IROp narrowing_from_64(int bytes) {
  switch (bytes) {
    case 1: return Iop_64to8;
    case 2: return Iop_64to16;
    default: return Iop_64to32;
  }
}

IROp widening_to_64(int bytes) {
  switch (bytes) {
    case 1: return Iop_8Uto64;
    case 2: return Iop_16Uto64;
    default: return Iop_32Uto64;
  }
}

IRExpr* shift_amount(unsigned bits) { return IRExpr_Const(IRConst_U8(bits)); }

// The value of an integer constant expression.
bool constant_value(const IRExpr* e, uint64_t* value) {
  if (e->tag != Iex_Const) return false;
  const IRConst* c = e->Iex.Const.con;
  switch (c->tag) {
    case Ico_U8: *value = c->Ico.U8; return true;
    case Ico_U16: *value = c->Ico.U16; return true;
    case Ico_U32: *value = c->Ico.U32; return true;
    case Ico_U64: *value = c->Ico.U64; return true;
    default: return false;
  }
}

}  // namespace

// ---- Building blocks ------------------------------------------------------

IRExpr* ShadowIR::bind(IRExpr* e) {
  IRTemp t = newIRTemp(sb_->tyenv, typeOfIRExpr(sb_->tyenv, e));
  addStmtToIRSB(sb_, IRStmt_WrTmp(t, e));
  return IRExpr_RdTmp(t);
}

IRExpr* ShadowIR::constant(uint64_t value) {
  return IRExpr_Const(IRConst_U64(value));
}

namespace {

// The comparison that is true exactly when `op` is false with its
// operands swapped (LE(a, b) fails when LT(b, a) holds), or Iop_INVALID.
IROp swapped_inverse(IROp op) {
  switch (op) {
    case Iop_CmpLE64U: return Iop_CmpLT64U;
    case Iop_CmpLT64U: return Iop_CmpLE64U;
    case Iop_CmpLE64S: return Iop_CmpLT64S;
    case Iop_CmpLT64S: return Iop_CmpLE64S;
    case Iop_CmpEQ64: return Iop_CmpNE64;
    case Iop_CmpNE64: return Iop_CmpEQ64;
    default: return Iop_INVALID;
  }
}

// The statement that binds temporary `t`, if among the last few of `sb`.
const IRExpr* recent_binding(const IRSB* sb, IRTemp t) {
  for (Int i = sb->stmts_used - 1; i >= 0 && i >= sb->stmts_used - 64; --i) {
    const IRStmt* st = sb->stmts[i];
    if (st->tag == Ist_WrTmp && st->Ist.WrTmp.tmp == t) return st->Ist.WrTmp.data;
  }
  return nullptr;
}

}  // namespace

// A comparison just made is negated by the opposite comparison rather than
// by Not1: VEX would set a register from the flags, then test it again.
IRExpr* ShadowIR::negate(IRExpr* condition) {
  if (condition->tag == Iex_RdTmp) {
    const IRExpr* e = recent_binding(sb_, condition->Iex.RdTmp.tmp);
    if (e != nullptr && e->tag == Iex_Binop) {
      const IROp inverse = swapped_inverse(e->Iex.Binop.op);
      if (inverse != Iop_INVALID)
        return bind(IRExpr_Binop(inverse, e->Iex.Binop.arg2, e->Iex.Binop.arg1));
    }
  }
  return bind(IRExpr_Unop(Iop_Not1, condition));
}

IRType ShadowIR::element_type() const {
  return integer_type(1 << view_.element_shift);
}

IRExpr* ShadowIR::widen(IRExpr* element) {
  int bytes = 1 << view_.element_shift;
  if (bytes == 8) return element;
  return bind(IRExpr_Unop(widening_to_64(bytes), element));
}

// Bytes of the element block at the start of an access of `size` bytes:
// the whole granules it must cover when aligned.
int ShadowIR::block_bytes(int size) const {
  int granule = 1 << view_.granule_shift;
  int elements = size > granule ? size / granule : 1;
  return elements << view_.element_shift;
}

// A misaligned access can touch one granule more than the block holds; the
// element of its last byte is then handled on its own.  With one-byte
// granules, or a one-byte access, the block is always exact.
bool ShadowIR::needs_last_element(int size) const {
  return view_.granule_shift != 0 && size > 1;
}

IRTemp ShadowIR::call_if(IRExpr* guard, const char* name, void* fn,
                         IRExpr** args, bool returns) {
  void* entry = VG_(fnptr_to_fnentry)(fn);
  IRTemp result = IRTemp_INVALID;
  IRDirty* call;
  if (returns) {
    result = newIRTemp(sb_->tyenv, Ity_I64);
    call = unsafeIRDirty_1_N(result, 0, name, entry, args);
  } else {
    call = unsafeIRDirty_0_N(0, name, entry, args);
  }
  call->guard = guard;
  addStmtToIRSB(sb_, IRStmt_Dirty(call));
  return result;
}

// ---- The table walk -------------------------------------------------------

// Non-zero when the address is at or above the primary limit, or when the
// access's first and last bytes lie in different aligned regions of
// 2^region_shift bytes (a 64-bit value, not an Ity_I1: VEX sets a register
// from every I1 it must combine, then tests it again).
IRExpr* ShadowIR::outside_region(IRExpr* addr, int size, unsigned region_shift) {
  UNSTUCK_CHECK(size >= 1 && size <= kMaxBlockBytes / 8);
  IRExpr* high = bind(IRExpr_Binop(Iop_Shr64, addr, shift_amount(kPrimaryShift)));
  if (size == 1) return high;
  IRExpr* apart = bind(IRExpr_Binop(Iop_Xor64, addr, last_byte_of(addr, size)));
  IRExpr* crossing = bind(IRExpr_Binop(Iop_Shr64, apart, shift_amount(region_shift)));
  return bind(IRExpr_Binop(Iop_Or64, crossing, high));
}

IRExpr* ShadowIR::outside_chunk(IRExpr* addr, int size) {
  return outside_region(addr, size, kChunkShift);
}

// distinguished + primary[(addr >> 16) & (entries - 1)]: the mask keeps
// the load inside the table for any address.  (The entry's byte offset is
// (addr >> 13) with the low three bits masked off: one shift, not two.)
IRExpr* ShadowIR::chunk_of(IRExpr* addr) {
  IRExpr* index = bind(IRExpr_Binop(Iop_Shr64, addr, shift_amount(kChunkShift - 3)));
  IRExpr* scaled =
      bind(IRExpr_Binop(Iop_And64, index, constant((kPrimaryEntries - 1) << 3)));
  IRExpr* slot = bind(IRExpr_Binop(
      Iop_Add64, scaled, constant(reinterpret_cast<uint64_t>(view_.primary))));
  IRExpr* entry = bind(IRExpr_Load(Iend_LE, Ity_I64, slot));
  return bind(IRExpr_Binop(Iop_Add64, entry,
                           constant(reinterpret_cast<uint64_t>(view_.distinguished))));
}

// ((addr & 0xffff) >> log2 G) << log2 E, as one mask and at most one shift.
IRExpr* ShadowIR::offset_in_chunk(IRExpr* addr) {
  uint64_t granule_mask = (kChunkBytes - 1) & ~((uint64_t{1} << view_.granule_shift) - 1);
  IRExpr* offset = bind(IRExpr_Binop(Iop_And64, addr, constant(granule_mask)));
  unsigned e = view_.element_shift, g = view_.granule_shift;
  if (e > g) return bind(IRExpr_Binop(Iop_Shl64, offset, shift_amount(e - g)));
  if (g > e) return bind(IRExpr_Binop(Iop_Shr64, offset, shift_amount(g - e)));
  return offset;
}

IRExpr* ShadowIR::last_byte_of(IRExpr* addr, int size) {
  return bind(IRExpr_Binop(Iop_Add64, addr, constant(size - 1)));
}

IRExpr* ShadowIR::element_address(IRExpr* addr) {
  return bind(IRExpr_Binop(Iop_Add64, chunk_of(addr), offset_in_chunk(addr)));
}

// ---- Reading ---------------------------------------------------------------

// Ity_I64, zero iff the `bytes` at `base` all hold `pattern` (an Ity_I64
// element pattern, the element repeated over 64 bits).
IRExpr* ShadowIR::block_differs(IRExpr* base, int bytes, IRExpr* pattern) {
  uint64_t known = 0;
  const bool is_constant = constant_value(pattern, &known);
  if (bytes < 8) {
    IRExpr* loaded = bind(IRExpr_Load(Iend_LE, integer_type(bytes), base));
    IRExpr* wide = bind(IRExpr_Unop(widening_to_64(bytes), loaded));
    IRExpr* low = is_constant ? constant(known & low_bytes_mask(bytes))
                              : bind(IRExpr_Binop(Iop_And64, pattern,
                                                  constant(low_bytes_mask(bytes))));
    return bind(IRExpr_Binop(Iop_Xor64, wide, low));
  }
  // Up to 32 bytes in 64-bit words; beyond, 128-bit vectors folded to one
  // word at the end.
  IRExpr* differences = nullptr;
  const bool vectors = bytes > kMaxWordBlockBytes;
  IRExpr* pattern128 =
      vectors ? bind(IRExpr_Binop(Iop_64HLtoV128, pattern, pattern)) : nullptr;
  for (int at = 0; at < bytes; at += vectors ? 16 : 8) {
    IRExpr* where = at == 0 ? base
                            : bind(IRExpr_Binop(Iop_Add64, base, constant(at)));
    IRExpr* loaded =
        bind(IRExpr_Load(Iend_LE, vectors ? Ity_V128 : Ity_I64, where));
    IRExpr* differs =
        vectors ? bind(IRExpr_Binop(Iop_XorV128, loaded, pattern128))
                : bind(IRExpr_Binop(Iop_Xor64, loaded, pattern));
    IROp combine = vectors ? Iop_OrV128 : Iop_Or64;
    differences = differences == nullptr
                      ? differs
                      : bind(IRExpr_Binop(combine, differences, differs));
  }
  if (!vectors) return differences;
  IRExpr* high = bind(IRExpr_Unop(Iop_V128HIto64, differences));
  IRExpr* low = bind(IRExpr_Unop(Iop_V128to64, differences));
  return bind(IRExpr_Binop(Iop_Or64, high, low));
}

IRExpr* ShadowIR::all_default(IRExpr* addr, int size) {
  IRExpr* outside = outside_chunk(addr, size);
  IRExpr* chunk = chunk_of(addr);
  // Off the fast path the elements may lie past the chunk's end, in its
  // overread bytes (kChunkOverreadBytes); the answer is false anyway.
  auto element_of = [&](IRExpr* byte_addr) {
    return bind(IRExpr_Binop(Iop_Add64, chunk, offset_in_chunk(byte_addr)));
  };
  IRExpr* pattern = constant(replicate(view_.default_value, 1u << view_.element_shift));
  IRExpr* differs = block_differs(element_of(addr), block_bytes(size), pattern);
  if (needs_last_element(size)) {
    IRExpr* last = element_of(last_byte_of(addr, size));
    differs = bind(IRExpr_Binop(Iop_Or64, differs,
                                block_differs(last, 1 << view_.element_shift, pattern)));
  }
  IRExpr* slow = bind(IRExpr_Binop(Iop_Or64, outside, differs));
  return bind(IRExpr_Binop(Iop_CmpEQ64, slow, constant(0)));
}

IRExpr* ShadowIR::load_element(IRExpr* addr) {
  IRExpr* fast =
      bind(IRExpr_Binop(Iop_CmpLT64U, addr, constant(kPrimaryLimit)));
  IRExpr* inline_value =
      bind(IRExpr_Load(Iend_LE, element_type(), element_address(addr)));
  IRTemp slow = call_if(
      negate(fast), "unstuck_shadow_load_slow",
      reinterpret_cast<void*>(&load_slow),
      mkIRExprVec_2(constant(reinterpret_cast<uint64_t>(view_.table)), addr),
      /*returns=*/true);
  IRExpr* slow_value = IRExpr_RdTmp(slow);
  int bytes = 1 << view_.element_shift;
  if (bytes < 8) slow_value = bind(IRExpr_Unop(narrowing_from_64(bytes), slow_value));
  return bind(IRExpr_ITE(fast, inline_value, slow_value));
}

// ---- Writing ---------------------------------------------------------------

void ShadowIR::store_uniform(IRExpr* addr, int size, IRExpr* value) {
  InlineStore store = store_uniform_inline(addr, size, value);
  IRExpr* table = constant(reinterpret_cast<uint64_t>(view_.table));
  if (auto of_size = vex::helper_of_size<StoreSlowOfSize>(size)) {
    call_if(nonzero(store.unfinished), "unstuck_shadow_store_slow", reinterpret_cast<void*>(of_size),
            mkIRExprVec_3(table, addr, store.wide_value), /*returns=*/false);
    return;
  }
  call_if(nonzero(store.unfinished), "unstuck_shadow_store_slow", reinterpret_cast<void*>(&store_slow),
          mkIRExprVec_4(table, addr, constant(static_cast<uint64_t>(size)), store.wide_value),
          /*returns=*/false);
}

// Nothing is stored inline: a store that changes nothing (the same value
// over itself; by far the commonest is the default over untainted memory)
// is done once its elements are compared with the value, and every other
// goes to the helper, which writes them.  The inline store this replaced
// (the piece's live byte tested, the store redirected to a sink when it
// must not happen) made the taint tool's code a tenth bigger; the helper
// calls of the stores that change labels cost about what that saved on
// gzip, and python3 ran 3% faster (docs/taint.md).
ShadowIR::InlineStore ShadowIR::store_uniform_inline(IRExpr* addr, int size, IRExpr* value) {
  const int element_bytes = 1 << view_.element_shift;
  uint64_t known = 0;
  const bool is_constant = constant_value(value, &known);
  IRExpr* wide_value = is_constant ? constant(known) : widen(value);
  IRExpr* pattern =
      is_constant ? constant(replicate(known, element_bytes))
      : element_bytes == 8
          ? wide_value
          : bind(IRExpr_Binop(Iop_Mul64, wide_value,
                              constant(replicate(1, element_bytes))));
  // Elements past the chunk's end hold the overread value; when no store
  // can write it, reading them is the test for the chunk's end.
  IRExpr* outside = view_.overread_value != view_.default_value
                        ? outside_region(addr, 1, kChunkShift)
                        : outside_chunk(addr, size);
  IRExpr* chunk = chunk_of(addr);
  IRExpr* first = bind(IRExpr_Binop(Iop_Add64, chunk, offset_in_chunk(addr)));
  IRExpr* differs = block_differs(first, block_bytes(size), pattern);
  if (needs_last_element(size)) {
    IRExpr* last = bind(IRExpr_Binop(Iop_Add64, chunk,
                                     offset_in_chunk(last_byte_of(addr, size))));
    differs = bind(IRExpr_Binop(Iop_Or64, differs, block_differs(last, element_bytes, pattern)));
  }
  return InlineStore{bind(IRExpr_Binop(Iop_Or64, outside, differs)), wide_value};
}

IRExpr* ShadowIR::nonzero(IRExpr* word) { return bind(IRExpr_Unop(Iop_CmpNEZ64, word)); }

}  // namespace unstuck::shadow
