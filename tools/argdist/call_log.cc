#include "tools/argdist/call_log.h"

namespace unstuck::argdist {

CallLogWords g_call_log = {nullptr, nullptr, nullptr, 0, 0, ~0ULL, 0};
CallLogWords* g_call_log_address = &g_call_log;

namespace {

// 64 KB: a few thousand calls between replays, and still in the L2 cache
// when replayed.
constexpr uint64_t kLogWords = 8192;
uint64_t* g_log = nullptr;
// Slots allocated: the room, the sentinel and one more, which an entry
// that did not push may write harmlessly.
uint64_t g_mirror_slots = 0;

}  // namespace

void install_call_log() {
  g_log = new uint64_t[kLogWords];
  g_call_log.cursor = g_log;
  g_call_log.limit = g_log + kLogWords - kMaxEntryWords;
  reserve_mirror(1024);
  g_call_log.mirror[0] = {~0ULL, 0};
}

uint64_t* log_start() { return g_log; }

void clear_log() { g_call_log.cursor = g_log; }

void reserve_mirror(uint64_t depth) {
  if (depth < g_call_log.mirror_room) return;
  uint64_t room = g_call_log.mirror_room == 0 ? depth : 2 * depth;
  MirrorSlot* slots = new MirrorSlot[room + 2];
  for (uint64_t i = 0; i < g_mirror_slots; ++i) slots[i] = g_call_log.mirror[i];
  delete[] g_call_log.mirror;
  g_call_log.mirror = slots;
  g_mirror_slots = room + 2;
  g_call_log.mirror_room = room;
}

}  // namespace unstuck::argdist
