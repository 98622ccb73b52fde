// Framing of the remote protocol: "$payload#cc" packets with a modulo-256
// checksum, '+'/'-' acknowledgements (until QStartNoAckMode), '}'-escaped
// payloads, and the out-of-band interrupt byte 0x03.  Sending never
// run-length encodes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gdbstub/rsp/connection.h"

namespace unstuck::rsp {

// Largest packet we accept and announce (qSupported PacketSize); GDB keeps
// its packets within it, so anything larger is a broken client.
inline constexpr size_t kMaxPacketSize = 0x20000;

enum class InputKind {
  Packet,        // `payload` holds the unescaped packet
  Interrupt,     // the client sent 0x03
  Rejected,      // a packet we refuse (too long, or corrupt in no-ack mode): answer E
  Disconnected,  // end of input, possibly in the middle of a packet
};

struct Input {
  InputKind kind = InputKind::Disconnected;
  std::string payload;
};

// What arrived while a resume was running (see PacketIo::watch_once).
struct WatchResult {
  bool interrupted = false;
  bool disconnected = false;
};

class PacketIo {
 public:
  explicit PacketIo(Connection& connection) : connection_(connection) {}

  // The next packet or interrupt.  Bad checksums are answered with '-'
  // and the retransmission is read instead.
  Input read();
  // Frames `payload` (already escaped where it carries binary data) and
  // waits for the client's '+' unless acknowledgements are off.  False
  // when the client has gone.
  bool send(std::string_view payload);
  // After QStartNoAckMode: the OK reply to it is still acknowledged, so
  // call this once that reply has been sent.
  void disable_acks() { acks_ = false; }
  bool acks_enabled() const { return acks_; }

  // While a resume runs, another thread waits here for input (or for
  // `wake_fd`); interrupt bytes are consumed and reported, anything else
  // is kept for read().
  WatchResult watch_once(int wake_fd);

 private:
  // Reads more input into the buffer; false at the end of the input.
  bool fill();
  // The next byte, or -1 at the end of the input.
  int next_byte();
  std::optional<Input> read_packet_body();
  bool wait_for_ack(std::string_view framed);

  Connection& connection_;
  std::string buffer_;
  size_t position_ = 0;
  bool at_end_ = false;
  bool acks_ = true;
};

// "$" payload "#" checksum: exposed for tests and for clients in tests.
std::string frame_packet(std::string_view payload);
unsigned packet_checksum(std::string_view bytes);

}  // namespace unstuck::rsp
