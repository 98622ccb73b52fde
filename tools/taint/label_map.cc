#include "tools/taint/label_map.h"

#include "shared/rt/check.h"
#include "shared/shadow/label_sets.h"

namespace unstuck::taint {

// The overread elements hold an id that cannot exist (label_ir.cc's loads
// rely on it).
LabelMap::LabelMap(bool narrow)
    : table_(narrow ? new shadow::ShadowTable(2, 1, 0, shadow::kNeverANarrowId)
                    : new shadow::ShadowTable(4, 1, 0, shadow::kNeverAnId)) {}

void LabelMap::widen() {
  UNSTUCK_CHECK(narrow());
  shadow::ShadowTable* wide = new shadow::ShadowTable(4, 1, 0, shadow::kNeverAnId);
  table_->visit_runs_everywhere(
      [wide](uint64_t start, uint64_t size, uint64_t label) { wide->set_range(start, size, label); });
  delete table_;
  table_ = wide;
}

void LabelMap::set_ascending(uint64_t addr, uint64_t n, uint32_t first) {
  // Only encoded byte labels ascend, and only a wide map holds them.
  UNSTUCK_CHECK(!narrow());
  uint8_t* elements = table_->elements_for_write(addr, n, first);
  UNSTUCK_CHECK(elements != nullptr);  // `first` is a label, not the default
  uint32_t* e = reinterpret_cast<uint32_t*>(elements);
  for (uint64_t i = 0; i < n; ++i) e[i] = first + i;
}

}  // namespace unstuck::taint
