#include "gdbstub/replay/fast_table.h"

extern "C" {
// Starts zeroed, i.e. every slot names guest address 0 with no host code:
// fast_table_clear() must run before the dispatcher first reads it.
alignas(64) unstuck::replay::FastTableEntry
    unstuck_replay_fast_table[unstuck::replay::kFastTableSize];
}

namespace unstuck::replay {

void fast_table_clear() {
  for (FastTableEntry& e : unstuck_replay_fast_table) e = {kNoGuest, nullptr};
}

void fast_table_set(uint64_t guest, const uint8_t* host) {
  unstuck_replay_fast_table[fast_table_slot(guest)] = {guest, host};
}

void fast_table_forget(uint64_t guest, const uint8_t* host) {
  FastTableEntry& e = unstuck_replay_fast_table[fast_table_slot(guest)];
  if (e.guest == guest && e.host == host) e = {kNoGuest, nullptr};
}

}  // namespace unstuck::replay
