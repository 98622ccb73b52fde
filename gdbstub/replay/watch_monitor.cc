#include "gdbstub/replay/watch_monitor.h"

#include "gdbstub/replay/guest_memory.h"
#include "shared/rt/check.h"

namespace unstuck::replay {
namespace {

thread_local WatchMonitor* t_monitor = nullptr;

}  // namespace

WatchTouch WatchMonitor::take() {
  UNSTUCK_CHECK(pending_.has_value());
  WatchTouch t = *pending_;
  pending_.reset();
  return t;
}

bool WatchMonitor::probe(uint64_t guest_address, uint64_t size,
                         MemoryAccess kind) {
  std::optional<WatchTouch> t = watches_.touch(guest_address, size, kind);
  if (!t) return false;
  if (reported_before(*t, pending_)) pending_ = t;
  guest_->host_EvC_COUNTER = 0;
  return true;
}

WatchBinding::WatchBinding(WatchMonitor* monitor) : previous_(t_monitor) {
  t_monitor = monitor;
}

WatchBinding::~WatchBinding() { t_monitor = previous_; }

ULong watch_probe_helper(ULong host_address, ULong size_and_kind) {
  UNSTUCK_CHECK_MSG(t_monitor != nullptr,
                    "generated code probed a watched access with no "
                    "WatchMonitor bound");
  // Generated code reaches guest address A at A + kGuestBase (wrapping).
  const uint64_t guest_address = host_address - kGuestBase;
  const auto kind = static_cast<MemoryAccess>(size_and_kind & 3);
  return t_monitor->probe(guest_address, size_and_kind >> 2, kind) ? 1 : 0;
}

}  // namespace unstuck::replay
