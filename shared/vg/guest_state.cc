#include "shared/vg/guest_state.h"

#include "shared/rt/check.h"
#include "shared/rt/vector.h"

namespace unstuck {
namespace {

// Valgrind 3.19's ThreadState begins with three 32-bit fields, then the
// thread's ThreadArchState, whose first member is the guest state, aligned
// to LibVEX_GUEST_STATE_ALIGN: offset 16.  The layout is the core's own,
// so it is confirmed for every thread before use (see located()).
constexpr size_t kCandidateOffsets[] = {16, 32, 48, 64};
constexpr Int kProbeOffset = offsetof(VexGuestAMD64State, pad2);

Vector<VexGuestAMD64State*>* g_states = nullptr;  // by ThreadId, null: not yet found

// True if `state` is where VG_(get_shadow_regs_area) reads tid's guest
// state from: a value written through the tool interface reads back here.
bool located(ThreadId tid, VexGuestAMD64State* state) {
  UInt saved;
  VG_(get_shadow_regs_area)(tid, reinterpret_cast<UChar*>(&saved), 0, kProbeOffset, sizeof saved);
  if (state->pad2 != saved) return false;
  UInt probe = ~saved;
  VG_(set_shadow_regs_area)(tid, 0, kProbeOffset, sizeof probe, reinterpret_cast<UChar*>(&probe));
  const bool same = state->pad2 == probe;
  VG_(set_shadow_regs_area)(tid, 0, kProbeOffset, sizeof saved, reinterpret_cast<UChar*>(&saved));
  return same && state->guest_RSP == VG_(get_SP)(tid) && state->guest_RIP == VG_(get_IP)(tid);
}

VexGuestAMD64State* find(ThreadId tid) {
  char* thread = static_cast<char*>(VG_(get_ThreadState)(tid));
  for (size_t offset : kCandidateOffsets) {
    auto* state = reinterpret_cast<VexGuestAMD64State*>(thread + offset);
    if (located(tid, state)) return state;
  }
  UNSTUCK_CHECK_MSG(false, "cannot find the guest state in Valgrind's thread state");
  return nullptr;
}

}  // namespace

VexGuestAMD64State* guest_state_of(ThreadId tid) {
  if (g_states == nullptr) g_states = new Vector<VexGuestAMD64State*>();
  if (g_states->size() <= tid) g_states->resize(tid + 1);
  VexGuestAMD64State*& state = (*g_states)[tid];
  if (state == nullptr) state = find(tid);
  return state;
}

}  // namespace unstuck
