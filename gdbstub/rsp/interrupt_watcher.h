// While the target runs a resume, GDB may send 0x03 (Ctrl-C) or go away.
// The watcher waits for input on its own thread for exactly that span and
// turns either into ReplayTarget::interrupt(); other bytes stay queued in
// the PacketIo for the main loop.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include "gdbstub/rsp/packet_io.h"

namespace unstuck::rsp {

class InterruptWatcher {
 public:
  // Starts watching; `on_interrupt` runs on the watcher's thread.
  InterruptWatcher(PacketIo& packets, std::function<void()> on_interrupt);
  // Stops watching and waits for the thread: after this the PacketIo
  // belongs to the caller again.
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

 private:
  void watch();

  PacketIo& packets_;
  std::function<void()> on_interrupt_;
  int wake_read_fd_ = -1, wake_write_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace unstuck::rsp
