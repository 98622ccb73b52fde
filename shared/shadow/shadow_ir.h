// IR for the shadow map's hot paths (tools only).
//
// While instrumenting, a tool emits these into its output superblock to
// read and write shadow memory inline, the way memcheck's fast paths work:
// the common case (an address below 2^37 whose access stays inside one
// 64 KB chunk) is a table walk in IR --
//     chunk = distinguished + primary[(addr >> 16) & (kPrimaryEntries - 1)]
//     elem  = chunk + (((addr & 0xffff) >> log2 G) << log2 E)
// -- and everything else (addresses above the primary region, accesses
// crossing a chunk, stores that change elements) goes to a C++ helper
// through a dirty call guarded so that it runs only then.
//
// The index is masked, so the loads are safe for any address: on the slow
// path they read some chunk and the result is discarded.  Conditions are
// built as 64-bit values that are zero on the inline path, tested where
// they are used: VEX sets a register from every Ity_I1 that is combined
// with another, then tests it again.
//
// All emitted expressions are bound to temporaries (the IR stays flat).  The
// loads address the tool's memory, not the guest's: run these after any
// pass that instruments guest memory accesses.
#pragma once

#include "shared/shadow/shadow_map.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::shadow {

class ShadowIR {
 public:
  // Emits into `sb` for the table behind `view` (ShadowMap::view()).
  ShadowIR(IRSB* sb, const TableView& view) : sb_(sb), view_(view) {}

  IRType element_type() const;

  // Ity_I64, zero exactly when the access [addr, addr + size) can take the
  // inline path: addr is below kPrimaryLimit and the access does not cross
  // a chunk boundary.
  IRExpr* outside_chunk(IRExpr* addr, int size);
  // The same for an aligned region of 2^region_shift bytes.
  IRExpr* outside_region(IRExpr* addr, int size, unsigned region_shift);
  // Ity_I64: host address of the element for addr, valid when addr is below
  // kPrimaryLimit (and harmless to load from otherwise).
  IRExpr* element_address(IRExpr* addr);
  // Ity_I64: host address of the chunk for addr (the same validity).
  IRExpr* chunk_of(IRExpr* addr);
  // Ity_I64: the element's offset in its chunk, in bytes.
  IRExpr* offset_in_chunk(IRExpr* addr);
  // Ity_I1: the access can take the inline path and every element covering
  // it holds the default ("untainted").  The tool calls its helper when
  // this is false, e.g. with call_if(negate(all_default(...)), ...).
  IRExpr* all_default(IRExpr* addr, int size);
  // element_type(): the element for addr, inline below kPrimaryLimit and
  // through a helper above it.
  IRExpr* load_element(IRExpr* addr);
  // Sets every element covering [addr, addr + size) to `value` (an atom of
  // element_type()).  Inline, the elements are only compared with the
  // value: a store that changes nothing (the same value over itself, the
  // default over untouched memory) is done; any other, and any access off
  // the inline path (a chunk crossing, a high address), calls the helper,
  // which writes them (copy on write, pieces made live).
  void store_uniform(IRExpr* addr, int size, IRExpr* value);
  // The inline part of store_uniform alone: the store is done when
  // `unfinished` (Ity_I64) is zero, and the caller must otherwise make it
  // with set_range of `wide_value` (the value as Ity_I64), in a helper of
  // its own that may do more in the same call.
  struct InlineStore {
    IRExpr* unfinished;
    IRExpr* wide_value;
  };
  InlineStore store_uniform_inline(IRExpr* addr, int size, IRExpr* value);
  // Ity_I1: `word` (Ity_I64) is not zero.  A fresh test for each use: VEX
  // compiles a test used once into its user's flags.
  IRExpr* nonzero(IRExpr* word);

  // A dirty call to fn(args...) made only when `guard` (Ity_I1) holds.
  // Returns the Ity_I64 result temporary, or IRTemp_INVALID if !returns.
  IRTemp call_if(IRExpr* guard, const char* name, void* fn, IRExpr** args,
                 bool returns);

  IRExpr* negate(IRExpr* condition);
  // Binds `e` to a new temporary and returns it as an atom.
  IRExpr* bind(IRExpr* e);

 private:
  IRExpr* constant(uint64_t value);
  IRExpr* widen(IRExpr* element);
  IRExpr* block_differs(IRExpr* base, int bytes, IRExpr* pattern);
  IRExpr* last_byte_of(IRExpr* addr, int size);
  int block_bytes(int size) const;
  bool needs_last_element(int size) const;

  IRSB* sb_;
  TableView view_;
};

}  // namespace unstuck::shadow
