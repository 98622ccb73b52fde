#include "gdbstub/rsp/packet_io.h"

#include <optional>

#include "gdbstub/rsp/hex.h"

namespace unstuck::rsp {

namespace {

constexpr char kInterruptByte = 0x03;
// A client that keeps rejecting the same reply is broken; stop resending.
constexpr int kMaxRetransmissions = 16;

std::optional<unsigned> checksum_digits(int high, int low) {
  if (high < 0 || low < 0) return std::nullopt;
  char digits[2] = {static_cast<char>(high), static_cast<char>(low)};
  auto value = parse_hex(std::string_view(digits, 2));
  if (!value) return std::nullopt;
  return static_cast<unsigned>(*value);
}

}  // namespace

unsigned packet_checksum(std::string_view bytes) {
  unsigned sum = 0;
  for (char c : bytes) sum += static_cast<unsigned char>(c);
  return sum & 0xff;
}

std::string frame_packet(std::string_view payload) {
  std::string framed;
  framed.reserve(payload.size() + 4);
  framed += '$';
  framed += payload;
  framed += '#';
  framed += hex_byte(packet_checksum(payload));
  return framed;
}

bool PacketIo::fill() {
  if (at_end_) return false;
  if (position_ == buffer_.size()) {
    buffer_.clear();
    position_ = 0;
  }
  char chunk[4096];
  long n = connection_.read_some(chunk, sizeof chunk);
  if (n <= 0) {
    at_end_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

int PacketIo::next_byte() {
  if (position_ == buffer_.size() && !fill()) return -1;
  return static_cast<unsigned char>(buffer_[position_++]);
}

Input PacketIo::read() {
  while (true) {
    int c = next_byte();
    if (c < 0) return {InputKind::Disconnected, {}};
    if (c == kInterruptByte) return {InputKind::Interrupt, {}};
    if (c != '$') continue;  // stray acks and line noise between packets
    if (auto input = read_packet_body()) return std::move(*input);
  }
}

// After the '$': the payload up to '#', then two checksum digits.  A '$'
// inside means the client started over, so collection restarts.  Nothing
// when the packet was corrupt and its retransmission was asked for.
std::optional<Input> PacketIo::read_packet_body() {
  std::string raw;
  bool too_long = false;
  int c;
  while ((c = next_byte()) != '#') {
    if (c < 0) return Input{InputKind::Disconnected, {}};
    if (c == '$') {
      raw.clear();
      too_long = false;
      continue;
    }
    if (raw.size() >= kMaxPacketSize) too_long = true;
    if (!too_long) raw += static_cast<char>(c);
  }
  int high = next_byte(), low = next_byte();
  if (low < 0) return Input{InputKind::Disconnected, {}};
  auto sum = checksum_digits(high, low);
  bool intact = sum && *sum == packet_checksum(raw) && !too_long;
  if (!intact && acks_ && !too_long) {
    connection_.write_all("-");  // ask for the packet again
    return std::nullopt;
  }
  if (acks_) connection_.write_all("+");
  if (!intact) return Input{InputKind::Rejected, {}};
  auto payload = unescape_binary(raw);
  if (!payload) return Input{InputKind::Rejected, {}};
  return Input{InputKind::Packet, std::move(*payload)};
}

bool PacketIo::send(std::string_view payload) {
  std::string framed = frame_packet(payload);
  if (!connection_.write_all(framed)) return false;
  return !acks_ || wait_for_ack(framed);
}

// '+' accepts the packet and '-' asks for it again.  A '$' or an
// interrupt means the client has moved on (it lost our ack): leave the
// byte for read().
bool PacketIo::wait_for_ack(std::string_view framed) {
  for (int attempts = 0; attempts < kMaxRetransmissions;) {
    if (position_ == buffer_.size() && !fill()) return false;
    char c = buffer_[position_];
    if (c == '$' || c == kInterruptByte) return true;
    ++position_;
    if (c == '+') return true;
    if (c == '-') {
      ++attempts;
      if (!connection_.write_all(framed)) return false;
    }
  }
  return false;
}

WatchResult PacketIo::watch_once(int wake_fd) {
  WatchResult result;
  if (at_end_) {
    result.disconnected = true;
    return result;
  }
  if (!connection_.wait_for_input(wake_fd)) return result;
  buffer_.erase(0, position_);
  position_ = 0;
  size_t start = buffer_.size();
  if (!fill()) {
    result.disconnected = true;
    return result;
  }
  // Take interrupt bytes out of what just arrived; keep the rest in order.
  std::string kept = buffer_.substr(0, start);
  kept.reserve(buffer_.size());
  for (size_t i = start; i < buffer_.size(); ++i) {
    if (buffer_[i] == kInterruptByte) {
      result.interrupted = true;
    } else {
      kept += buffer_[i];
    }
  }
  buffer_ = std::move(kept);
  return result;
}

}  // namespace unstuck::rsp
