// Test drivers for the protocol layer, both over a FakeTarget:
// SessionHarness answers packets directly (no framing); ServedStub runs the
// whole server on a thread and talks to it through a socket pair, framing
// and acknowledging as GDB does.
#pragma once

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gdbstub/rsp/connection.h"
#include "gdbstub/rsp/session.h"
#include "gdbstub/rsp/tests/fake_target.h"

namespace unstuck::rsp::testing {

class RecordingIo : public SessionIo {
 public:
  void send(std::string_view payload) override { sent.emplace_back(payload); }
  void disable_acks() override { acks_disabled = true; }
  target::StopEvent run_interruptible(const std::function<target::StopEvent()>& resume) override {
    ++resumes;
    return resume();
  }

  std::vector<std::string> sent;
  bool acks_disabled = false;
  int resumes = 0;
};

class SessionHarness {
 public:
  SessionHarness() : session(target, io) {}

  // All replies to one packet.
  std::vector<std::string> exchange(std::string_view packet);
  // The last reply to one packet ("<none>" when there was none).
  std::string ask(std::string_view packet);
  // The console text of the O packets among the replies to `packet`.
  std::string console_of(std::string_view packet);

  FakeTarget target;
  RecordingIo io;
  Session session;
  bool keep_going = true;
};

// The console text carried by O packets; non-O packets are skipped.
std::string console_text(const std::vector<std::string>& replies);

class ServedStub {
 public:
  explicit ServedStub(FakeTarget& target);
  ~ServedStub();

  void write_raw(std::string_view bytes);
  // One byte from the stub, or -1 after `timeout_ms` without one.
  int read_byte(int timeout_ms = 5000);
  // Reads a "$...#cc" packet, checks its checksum and acknowledges it
  // unless `acks` is false.  "<timeout>" or "<bad checksum>" otherwise.
  std::string read_packet(bool acks = true);
  // Sends a packet, expects '+' when `acks`, returns the reply packet.
  std::string request(std::string_view payload, bool acks = true);
  void close_client();
  // Whether serve() returned within `timeout_ms`.
  bool server_finished(int timeout_ms = 5000);

 private:
  int client_fd_ = -1;
  int server_fd_ = -1;
  std::thread server_;
  std::atomic<bool> finished_{false};
};

}  // namespace unstuck::rsp::testing
