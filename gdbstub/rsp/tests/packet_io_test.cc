#include "gdbstub/rsp/packet_io.h"

#include <doctest/doctest.h>

#include <random>
#include <thread>
#include <sys/socket.h>
#include <unistd.h>

using namespace unstuck::rsp;

namespace {

// A PacketIo on one end of a socket pair; the test plays GDB on the other.
struct Wire {
  Wire() {
    int fds[2];
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    client = fds[0];
    connection = std::make_unique<Connection>(fds[1], fds[1], true);
    io = std::make_unique<PacketIo>(*connection);
  }
  ~Wire() {
    io.reset();
    if (client >= 0) ::close(client);
  }
  void write(std::string_view bytes) { REQUIRE(::write(client, bytes.data(), bytes.size()) == long(bytes.size())); }
  void hang_up() {
    ::close(client);
    client = -1;
  }
  // Everything the stub wrote so far (the socket is non-blocking for this).
  std::string written() {
    std::string out;
    char buffer[4096];
    long n;
    while ((n = ::recv(client, buffer, sizeof buffer, MSG_DONTWAIT)) > 0) out.append(buffer, n);
    return out;
  }

  int client = -1;
  std::unique_ptr<Connection> connection;
  std::unique_ptr<PacketIo> io;
};

}  // namespace

TEST_CASE("frames carry a modulo-256 checksum") {
  CHECK(frame_packet("OK") == "$OK#9a");
  CHECK(frame_packet("") == "$#00");
  CHECK(packet_checksum("qSupported") == 0x37);
}

TEST_CASE("a packet is read, unescaped and acknowledged") {
  Wire wire;
  wire.write("+" + frame_packet("X1000,4:a}\x03" "b"));
  Input input = wire.io->read();
  CHECK(input.kind == InputKind::Packet);
  CHECK(input.payload == "X1000,4:a#b");
  CHECK(wire.written() == "+");
}

TEST_CASE("a bad checksum is nacked and the retransmission read") {
  Wire wire;
  wire.write("$qC#00");
  wire.write(frame_packet("qC"));
  Input input = wire.io->read();
  CHECK(input.kind == InputKind::Packet);
  CHECK(input.payload == "qC");
  CHECK(wire.written() == "-+");
}

TEST_CASE("noise, stray acks and restarted packets are skipped") {
  Wire wire;
  wire.write("++--garbage\r\n$qAtt$" + frame_packet("qAttached").substr(1));
  Input input = wire.io->read();
  CHECK(input.kind == InputKind::Packet);
  CHECK(input.payload == "qAttached");
}

TEST_CASE("checksum digits that are not hex count as a bad checksum") {
  Wire wire;
  wire.write("$g#zz" + frame_packet("g"));
  CHECK(wire.io->read().payload == "g");
  CHECK(wire.written() == "-+");
}

TEST_CASE("the interrupt byte is reported between packets") {
  Wire wire;
  wire.write("\x03" + frame_packet("?"));
  CHECK(wire.io->read().kind == InputKind::Interrupt);
  CHECK(wire.io->read().payload == "?");
}

TEST_CASE("a client hanging up mid-packet is a disconnection") {
  SUBCASE("in the payload") {
    Wire wire;
    wire.write("$qSupp");
    wire.hang_up();
    CHECK(wire.io->read().kind == InputKind::Disconnected);
  }
  SUBCASE("in the checksum") {
    Wire wire;
    wire.write("$g#6");
    wire.hang_up();
    CHECK(wire.io->read().kind == InputKind::Disconnected);
  }
  SUBCASE("before anything") {
    Wire wire;
    wire.hang_up();
    CHECK(wire.io->read().kind == InputKind::Disconnected);
    CHECK(wire.io->read().kind == InputKind::Disconnected);
  }
}

TEST_CASE("sending waits for the ack and resends on a nack") {
  Wire wire;
  wire.write("-+");
  CHECK(wire.io->send("OK"));
  CHECK(wire.written() == "$OK#9a$OK#9a");
}

TEST_CASE("a packet arriving instead of an ack counts as one and stays queued") {
  Wire wire;
  wire.write(frame_packet("g"));
  CHECK(wire.io->send("OK"));
  CHECK(wire.io->read().payload == "g");
}

TEST_CASE("sending to a client that hung up fails") {
  Wire wire;
  wire.hang_up();
  CHECK_FALSE(wire.io->send("OK"));
}

TEST_CASE("no-ack mode neither sends nor waits for acks") {
  Wire wire;
  wire.io->disable_acks();
  CHECK(wire.io->send("OK"));  // would block waiting for '+' otherwise
  wire.write(frame_packet("g"));
  CHECK(wire.io->read().payload == "g");
  CHECK(wire.written() == "$OK#9a");
  SUBCASE("a corrupt packet is rejected, not nacked") {
    wire.write("$g#00");
    CHECK(wire.io->read().kind == InputKind::Rejected);
    CHECK(wire.written().empty());
  }
}

TEST_CASE("an over-long packet is rejected whole") {
  Wire wire;
  std::string huge(kMaxPacketSize + 10, 'a');
  std::thread writer([&] { wire.write(frame_packet(huge) + frame_packet("g")); });
  CHECK(wire.io->read().kind == InputKind::Rejected);
  CHECK(wire.io->read().payload == "g");
  writer.join();
}

TEST_CASE("a malformed escape at the end of a packet is rejected") {
  Wire wire;
  wire.write(frame_packet("X0,1:}"));
  CHECK(wire.io->read().kind == InputKind::Rejected);
}

TEST_CASE("watching during a resume takes out interrupts and keeps the rest") {
  Wire wire;
  wire.write("\x03$g#67");
  WatchResult result = wire.io->watch_once(-1);
  CHECK(result.interrupted);
  CHECK_FALSE(result.disconnected);
  CHECK(wire.io->read().payload == "g");
  wire.hang_up();
  CHECK(wire.io->watch_once(-1).disconnected);
}

TEST_CASE("random bytes never crash the reader") {
  std::mt19937 random(1234);
  const std::string alphabet = "$#+-}*\x03" "0123456789abcdefgqvZXm,:;";
  for (int round = 0; round < 200; ++round) {
    Wire wire;
    std::string bytes;
    size_t length = random() % 300;
    for (size_t i = 0; i < length; ++i) bytes += alphabet[random() % alphabet.size()];
    wire.write(bytes);
    wire.hang_up();
    int inputs = 0;
    while (wire.io->read().kind != InputKind::Disconnected) ++inputs;
    CHECK(inputs <= int(length));
  }
}
