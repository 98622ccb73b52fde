// The whole server on a thread, driven through a socket pair as GDB would:
// framing, acknowledgements, no-ack mode, Ctrl-C during a resume, and
// clients that misbehave or vanish.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/packet_io.h"
#include "gdbstub/rsp/server.h"
#include "gdbstub/rsp/tests/rsp_client.h"

using namespace unstuck::rsp;
using namespace unstuck::rsp::testing;

TEST_CASE("a GDB-like handshake with acknowledgements") {
  FakeTarget target;
  ServedStub stub(target);
  stub.write_raw("+");  // GDB starts with an ack
  CHECK(stub.request("qSupported:swbreak+;hwbreak+").find("ReverseStep+") != std::string::npos);
  CHECK(stub.request("vMustReplyEmpty").empty());
  CHECK(stub.request("?") == "T05thread:1;");
  CHECK(stub.request("vCont;s:1;c") == "T05thread:1;");
  CHECK(stub.request("bs") == "T05thread:1;");
  stub.close_client();
  CHECK(stub.server_finished());
}

TEST_CASE("no-ack mode after QStartNoAckMode") {
  FakeTarget target;
  ServedStub stub(target);
  CHECK(stub.request("QStartNoAckMode") == "OK");  // this reply is still acknowledged
  CHECK(stub.request("qC", false) == "QC1");
  stub.write_raw(frame_packet("qAttached"));
  CHECK(stub.read_byte() == '$');  // the reply, with no '+' before it
  std::string rest;
  for (int c; rest.size() < 4 && (c = stub.read_byte()) >= 0;) rest += static_cast<char>(c);
  CHECK(rest == "1#31");
  stub.write_raw("$qC#00");  // corrupt: no retransmission possible, so an error
  CHECK(stub.read_packet(false) == "E.malformed packet");
}

TEST_CASE("a corrupted packet is nacked, and the stub resends a reply the client nacks") {
  FakeTarget target;
  ServedStub stub(target);
  stub.write_raw("$qC#ff");
  CHECK(stub.read_byte() == '-');
  stub.write_raw(frame_packet("qC"));
  CHECK(stub.read_byte() == '+');
  CHECK(stub.read_packet(false) == "QC1");
  stub.write_raw("-");  // "your reply was garbled"
  CHECK(stub.read_packet() == "QC1");
  CHECK(stub.request("qAttached") == "1");
}

TEST_CASE("Ctrl-C during a continue interrupts the target") {
  FakeTarget target;
  target.run_until_interrupted();
  ServedStub stub(target);
  stub.request("QStartNoAckMode");
  stub.write_raw(frame_packet("vCont;c"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stub.write_raw("\x03");
  CHECK(stub.read_packet(false) == "T02thread:1;");
  CHECK(stub.request("qC", false) == "QC1");  // the session goes on
}

TEST_CASE("a packet sent during a resume waits its turn") {
  FakeTarget target;
  target.run_until_interrupted();
  ServedStub stub(target);
  stub.request("QStartNoAckMode");
  stub.write_raw(frame_packet("c"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stub.write_raw(frame_packet("qC") + "\x03");
  CHECK(stub.read_packet(false) == "T02thread:1;");
  CHECK(stub.read_packet(false) == "QC1");
}

TEST_CASE("a client vanishing during a resume stops it and ends the server") {
  FakeTarget target;
  target.run_until_interrupted();
  ServedStub stub(target);
  stub.request("QStartNoAckMode");
  stub.write_raw(frame_packet("vCont;c"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stub.close_client();
  CHECK(stub.server_finished());
}

TEST_CASE("a client vanishing mid-packet ends the server") {
  FakeTarget target;
  ServedStub stub(target);
  stub.write_raw("$qSupported:swbr");
  stub.close_client();
  CHECK(stub.server_finished());
}

TEST_CASE("a client vanishing before reading its reply ends the server") {
  FakeTarget target;
  ServedStub stub(target);
  stub.write_raw(frame_packet("qXfer:features:read:amd64-core.xml:0,fff"));
  stub.close_client();  // the stub's wait for '+' sees the end
  CHECK(stub.server_finished());
}

TEST_CASE("D ends the server outside extended mode") {
  FakeTarget target;
  ServedStub stub(target);
  CHECK(stub.request("D") == "OK");
  CHECK(stub.server_finished());
}

TEST_CASE("garbage between packets is skipped") {
  FakeTarget target;
  ServedStub stub(target);
  stub.write_raw("hello\n+++---\x7f");
  CHECK(stub.request("qC") == "QC1");
  stub.write_raw("\x03");  // an interrupt while idle is ignored
  CHECK(stub.request("qAttached") == "1");
}

TEST_CASE("the TCP transport serves one client on 127.0.0.1") {
  FakeTarget target;
  std::atomic<uint16_t> port{0};
  std::string error;
  std::thread server([&] {
    auto connection = accept_on_localhost(0, [&](uint16_t p) { port = p; }, &error);
    if (connection) serve(target, *connection);
  });
  while (port == 0 && error.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(error.empty());
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  std::string request = frame_packet("qC");
  REQUIRE(::write(fd, request.data(), request.size()) == long(request.size()));
  std::string reply;
  char buffer[64];
  while (reply.size() < 8) {
    long n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    reply.append(buffer, n);
  }
  CHECK(reply == "+" + frame_packet("QC1"));
  ::close(fd);
  server.join();
}
