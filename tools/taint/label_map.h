// The labels of memory: one label-set id per byte, in a shadow map whose
// elements are 16 bits wide while the run's ids fit (narrow) and 32 bits
// wide after.
//
// Most runs make few sets (python3 running a tainted script: under a
// thousand) but spread them over much of the heap, where the shadow's
// resident pages are the tool's biggest cost; 16-bit elements halve them.
// A run that labels many bytes one by one (gzip of a tainted file: one id
// per byte) outgrows 16 bits at its first large read, and the map widens:
// every label is copied into a table of 32-bit elements, which replaces
// the narrow one.  Generated code reads and writes the table inline, with
// the element width and the table's addresses built in, so widening is
// only allowed where no translation is running (labels.h says when).
#pragma once

#include <stdint.h>

#include "shared/shadow/shadow_map.h"

namespace unstuck::taint {

class LabelMap {
 public:
  explicit LabelMap(bool narrow);
  LabelMap(const LabelMap&) = delete;
  LabelMap& operator=(const LabelMap&) = delete;

  bool narrow() const { return table_->element_bytes() == 2; }
  // Copies every label into a table of 32-bit elements.
  void widen();

  uint32_t get(uint64_t addr) const { return static_cast<uint32_t>(table_->get(addr)); }
  void set(uint64_t addr, uint32_t value) { table_->set(addr, value); }
  // Byte i of [addr, addr + n) gets first + i (encoded byte labels, in a
  // wide map); the range lies in one chunk.
  void set_ascending(uint64_t addr, uint64_t n, uint32_t first);
  void set_range(uint64_t start, uint64_t size, uint32_t value) {
    table_->set_range(start, size, value);
  }
  void clear_range(uint64_t start, uint64_t size) { table_->clear_range(start, size); }
  void copy_range(uint64_t src, uint64_t dst, uint64_t size) {
    table_->copy_range(src, dst, size);
  }
  // fn(uint64_t start, uint64_t size, uint32_t label) for each maximal run
  // of one non-empty label inside the range, in address order.
  template <typename Fn>
  void for_each_run(uint64_t start, uint64_t size, Fn&& fn) const {
    table_->visit_runs(start, size, [&fn](uint64_t run_start, uint64_t run_size, uint64_t label) {
      fn(run_start, run_size, static_cast<uint32_t>(label));
    });
  }

  size_t compact() { return table_->compact(); }
  bool compaction_due() const { return table_->compaction_due(); }
  shadow::MemoryUse memory() const { return table_->memory(); }
  shadow::TableView view() { return table_->view(); }
  const shadow::ShadowTable& table() const { return *table_; }

 private:
  shadow::ShadowTable* table_;
};

}  // namespace unstuck::taint
