#include "gdbstub/rsp/tests/rsp_client.h"

#include <chrono>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/packet_io.h"
#include "gdbstub/rsp/server.h"

namespace unstuck::rsp::testing {

std::vector<std::string> SessionHarness::exchange(std::string_view packet) {
  size_t before = io.sent.size();
  keep_going = session.handle(packet);
  return {io.sent.begin() + static_cast<long>(before), io.sent.end()};
}

std::string SessionHarness::ask(std::string_view packet) {
  auto replies = exchange(packet);
  return replies.empty() ? "<none>" : replies.back();
}

std::string SessionHarness::console_of(std::string_view packet) { return console_text(exchange(packet)); }

std::string console_text(const std::vector<std::string>& replies) {
  std::string text;
  for (const auto& reply : replies) {
    if (reply.size() > 1 && reply[0] == 'O' && reply != "OK") text += from_hex(reply.substr(1)).value_or("<bad hex>");
  }
  return text;
}

ServedStub::ServedStub(FakeTarget& target) {
  int fds[2];
  ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
  client_fd_ = fds[0];
  server_fd_ = fds[1];
  server_ = std::thread([this, &target] {
    Connection connection(server_fd_, server_fd_, true);
    serve(target, connection);
    finished_ = true;
  });
}

ServedStub::~ServedStub() {
  close_client();
  server_.join();
}

void ServedStub::write_raw(std::string_view bytes) {
  if (client_fd_ >= 0) ::send(client_fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

int ServedStub::read_byte(int timeout_ms) {
  pollfd fd{client_fd_, POLLIN, 0};
  if (::poll(&fd, 1, timeout_ms) <= 0) return -1;
  char c;
  if (::read(client_fd_, &c, 1) != 1) return -1;
  return static_cast<unsigned char>(c);
}

std::string ServedStub::read_packet(bool acks) {
  int c;
  while ((c = read_byte()) != '$') {
    if (c < 0) return "<timeout>";
  }
  std::string raw;
  while ((c = read_byte()) != '#') {
    if (c < 0) return "<timeout>";
    raw += static_cast<char>(c);
  }
  int high = read_byte(), low = read_byte();
  if (low < 0) return "<timeout>";
  std::string digits{static_cast<char>(high), static_cast<char>(low)};
  if (parse_hex(digits) != packet_checksum(raw)) return "<bad checksum>";
  if (acks) write_raw("+");
  return raw;
}

std::string ServedStub::request(std::string_view payload, bool acks) {
  write_raw(frame_packet(payload));
  if (acks) {
    int ack = read_byte();
    if (ack != '+') return "<no ack: " + std::to_string(ack) + ">";
  }
  return read_packet(acks);
}

void ServedStub::close_client() {
  if (client_fd_ < 0) return;
  ::close(client_fd_);
  client_fd_ = -1;
}

bool ServedStub::server_finished(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!finished_ && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return finished_;
}

}  // namespace unstuck::rsp::testing
