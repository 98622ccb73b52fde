#include "gdbstub/replay/redirect_table.h"

#include "shared/rt/check.h"

namespace unstuck::replay {

void RedirectTable::add(uint64_t from, uint64_t to, RedirectKind kind) {
  UNSTUCK_CHECK(kind != RedirectKind::None);
  table_[from] = {to, kind};
}

void RedirectTable::remove(uint64_t from) { table_.erase(from); }

Redirect RedirectTable::lookup(uint64_t from) const {
  auto it = table_.find(from);
  if (it == table_.end()) return {from, RedirectKind::None};
  return it->second;
}

}  // namespace unstuck::replay
