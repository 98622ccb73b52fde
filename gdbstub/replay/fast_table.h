// The fast table: a direct-mapped cache from guest address to the slow
// entry point of a full-length, redirectable translation, read by the
// dispatcher's indirect-exit path (dispatcher.S) so that returns and
// indirect jumps go from translation to translation without C++.
//
// Entering a translation through its slow entry point runs its event check,
// so a block reached this way counts against host_EvC_COUNTER exactly like
// a chained one: the bound on instructions between returns to C++ holds.
#pragma once

#include <stdint.h>

namespace unstuck::replay {

inline constexpr int kFastTableBits = 15;
inline constexpr uint64_t kFastTableSize = uint64_t{1} << kFastTableBits;
inline constexpr uint64_t kNoGuest = ~uint64_t{0};  // an empty slot

struct FastTableEntry {
  uint64_t guest;
  const uint8_t* host;
};

extern "C" FastTableEntry unstuck_replay_fast_table[kFastTableSize];

// Must match the hash in dispatcher.S.
inline uint64_t fast_table_slot(uint64_t guest) {
  return (guest ^ (guest >> kFastTableBits)) & (kFastTableSize - 1);
}

void fast_table_clear();
void fast_table_set(uint64_t guest, const uint8_t* host);
// Empties the slot of `guest` if it names `host`.
void fast_table_forget(uint64_t guest, const uint8_t* host);

}  // namespace unstuck::replay
