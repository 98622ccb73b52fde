#include "gdbstub/rsp/server.h"

#include <cstdio>

#include "gdbstub/rsp/interrupt_watcher.h"
#include "gdbstub/rsp/packet_io.h"
#include "gdbstub/rsp/session.h"

namespace unstuck::rsp {

namespace {

void log_packet(const char* direction, std::string_view payload) {
  std::fprintf(stderr, "unstuck-gdbstub: %s %.*s\n", direction, static_cast<int>(payload.size()),
               payload.data());
}

class ServerIo : public SessionIo {
 public:
  ServerIo(PacketIo& packets, target::ReplayTarget& target, const ServerOptions& options)
      : packets_(packets), target_(target), options_(options) {}

  void send(std::string_view payload) override {
    if (options_.log_packets) log_packet("->", payload);
    if (!packets_.send(payload)) client_gone_ = true;
  }

  void disable_acks() override { packets_.disable_acks(); }

  target::StopEvent run_interruptible(
      const std::function<target::StopEvent()>& resume) override {
    InterruptWatcher watcher(packets_, [this] { target_.interrupt(); });
    return resume();
  }

  bool client_gone() const { return client_gone_; }

 private:
  PacketIo& packets_;
  target::ReplayTarget& target_;
  const ServerOptions& options_;
  bool client_gone_ = false;
};

}  // namespace

void serve(target::ReplayTarget& target, Connection& connection, const ServerOptions& options) {
  PacketIo packets(connection);
  ServerIo io(packets, target, options);
  Session session(target, io);
  while (!io.client_gone()) {
    Input input = packets.read();
    switch (input.kind) {
      case InputKind::Disconnected:
        return;
      case InputKind::Interrupt:
        continue;  // nothing is running: nothing to interrupt
      case InputKind::Rejected:
        io.send("E.malformed packet");
        continue;
      case InputKind::Packet:
        if (options.log_packets) log_packet("<-", input.payload);
        if (!session.handle(input.payload)) return;
    }
  }
}

}  // namespace unstuck::rsp
