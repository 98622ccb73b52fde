// The run-time half of watchpoints: the helper generated code calls when an
// access may have touched a watched range (see watch_pass.h), and the hit
// it leaves for the executor.
//
// When the access did touch a watched byte, the probe
//  - keeps the lowest such byte of the instruction, pending until the
//    executor takes it;
//  - zeroes the engine's event-check counter, so that however the block
//    leaves (its end, a side exit, a chained or fast-table jump), the next
//    block entered fails its check and returns to C++ before running
//    anything;
//  - returns 1, which the block's own exit at the next instruction boundary
//    tests (inside a block there is no event check to fail).
// Generated code cannot carry a context pointer, so the monitor it reports
// to is the one bound to the calling thread (WatchBinding), as for
// NondetBinding.
#pragma once

#include <cstdint>
#include <optional>

#include "gdbstub/replay/watch_set.h"

extern "C" {
#include "libvex_basictypes.h"
#include "libvex_guest_amd64.h"
}

namespace unstuck::replay {

class WatchMonitor {
 public:
  // `guest` is the state generated code runs on (its event-check counter).
  WatchMonitor(const WatchSet& watches, VexGuestAMD64State* guest)
      : watches_(watches), guest_(guest) {}

  bool pending() const { return pending_.has_value(); }
  // The pending hit, which is then forgotten.
  WatchTouch take();
  // Forgets the pending hit: its instruction did not complete.
  void discard() { pending_.reset(); }

  // What the helper does; true when a watched byte was touched.
  bool probe(uint64_t guest_address, uint64_t size, MemoryAccess kind);

 private:
  const WatchSet& watches_;
  VexGuestAMD64State* guest_;
  std::optional<WatchTouch> pending_;
};

// Binds `monitor` to the calling thread for its lifetime.
class WatchBinding {
 public:
  explicit WatchBinding(WatchMonitor* monitor);
  ~WatchBinding();
  WatchBinding(const WatchBinding&) = delete;
  WatchBinding& operator=(const WatchBinding&) = delete;

 private:
  WatchMonitor* previous_;
};

// The helper's second argument: the access's size and kind in one word.
inline ULong watch_probe_word(uint64_t size, MemoryAccess kind) {
  return (size << 2) | static_cast<uint8_t>(kind);
}

// The helper generated code calls (a guarded dirty call): `host_address` is
// rebased (memory_rebase.h).  Returns 1 on a hit, else 0.
ULong watch_probe_helper(ULong host_address, ULong size_and_kind);
inline constexpr const char* kWatchProbeName = "unstuck_replay_watch_probe";

}  // namespace unstuck::replay
