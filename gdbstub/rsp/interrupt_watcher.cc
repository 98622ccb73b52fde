#include "gdbstub/rsp/interrupt_watcher.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace unstuck::rsp {

InterruptWatcher::InterruptWatcher(PacketIo& packets, std::function<void()> on_interrupt)
    : packets_(packets), on_interrupt_(std::move(on_interrupt)) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) == 0) {
    wake_read_fd_ = fds[0];
    wake_write_fd_ = fds[1];
  }
  // Without a wake pipe the watcher could not be stopped: then there is
  // no watching, and interrupts wait until the resume ends.
  if (wake_read_fd_ >= 0) thread_ = std::thread([this] { watch(); });
}

InterruptWatcher::~InterruptWatcher() {
  stopping_ = true;
  if (thread_.joinable()) {
    char byte = 0;
    while (::write(wake_write_fd_, &byte, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
  }
  if (wake_read_fd_ >= 0) {
    ::close(wake_read_fd_);
    ::close(wake_write_fd_);
  }
}

void InterruptWatcher::watch() {
  while (!stopping_) {
    WatchResult result = packets_.watch_once(wake_read_fd_);
    // A client that went away cannot see the rest of the run: stop it.
    if (result.interrupted || result.disconnected) on_interrupt_();
    if (result.disconnected) return;
  }
}

}  // namespace unstuck::rsp
