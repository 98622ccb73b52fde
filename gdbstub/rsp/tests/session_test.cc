// Packet-by-packet tests of everything but resuming and monitor commands.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/tests/rsp_client.h"

using namespace unstuck::rsp;
using namespace unstuck::rsp::testing;

TEST_CASE("qSupported offers reverse execution and the qXfer objects") {
  SessionHarness h;
  std::string reply = h.ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
  for (const char* feature :
       {"PacketSize=20000", "QStartNoAckMode+", "qXfer:features:read+", "qXfer:auxv:read+",
        "qXfer:exec-file:read+", "qXfer:threads:read+", "swbreak+", "hwbreak+",
        "vContSupported+", "ReverseContinue+", "ReverseStep+"}) {
    CHECK_MESSAGE(reply.find(feature) != std::string::npos, feature);
  }
  CHECK(h.session.state().client_knows_break_reasons);
  h.ask("qSupported");
  CHECK_FALSE(h.session.state().client_knows_break_reasons);
}

TEST_CASE("QStartNoAckMode answers OK, then turns acks off") {
  SessionHarness h;
  CHECK(h.ask("QStartNoAckMode") == "OK");
  CHECK(h.io.acks_disabled);
}

TEST_CASE("simple queries") {
  SessionHarness h;
  CHECK(h.ask("!") == "OK");
  CHECK(h.session.state().extended);
  CHECK(h.ask("?") == "T05thread:1;");
  CHECK(h.ask("qC") == "QC1");
  CHECK(h.ask("qAttached") == "1");
  CHECK(h.ask("qAttached:2a") == "1");
  CHECK(h.ask("qSymbol::") == "OK");
  CHECK(h.ask("vCont?") == "vCont;c;C;s;S");
}

TEST_CASE("unknown and empty packets get the empty reply") {
  SessionHarness h;
  for (const char* packet : {"vMustReplyEmpty", "qTStatus", "qOffsets", "QNonStop:1", "vFile:open:6a",
                             "qXfer:memory-map:read::0,100", "qXfer:features:write:x:0:", "", "B",
                             "qThreadExtraInfo,1", "jTHREADS"}) {
    CHECK_MESSAGE(h.ask(packet).empty(), packet);
  }
}

TEST_CASE("threads are listed, selected and checked for life") {
  SessionHarness h;
  CHECK(h.ask("qfThreadInfo") == "m1");
  CHECK(h.ask("qsThreadInfo") == "l");
  CHECK(h.ask("T1") == "OK");
  CHECK(h.ask("T2") == "E01");  // the worker starts at time 30
  CHECK(h.ask("Tzz") == "E01");
  CHECK(h.ask("Hg2") == "E01");
  CHECK(h.ask("Hg1") == "OK");
  CHECK(h.ask("Hg0") == "OK");
  CHECK(h.ask("Hc-1") == "OK");
  CHECK(h.ask("Hgp1.1") == "OK");
  CHECK(h.ask("Hx1") == "E01");
  CHECK(h.ask("H") == "");  // too short to be an H packet
  h.target.go_to(40);
  CHECK(h.ask("qfThreadInfo") == "m1,2");
  CHECK(h.ask("T2") == "OK");
  CHECK(h.ask("Hg2") == "OK");
  CHECK(h.ask("qC") == "QC2");
  CHECK(h.ask("p0") == "ed03000000000000");  // the worker's rax: 1000 + 5 instructions
}

TEST_CASE("registers of the selected thread") {
  SessionHarness h;
  h.target.go_to(5);
  std::string g = h.ask("g");
  CHECK(g.size() == 1632);
  CHECK(g.starts_with("0500000000000000" "0500000000000000"));  // rax = instructions, rbx = time
  CHECK(h.ask("p10") == "1410400000000000");                   // rip 0x401014
  CHECK(h.ask("p11") == "02020000");                           // eflags: no ZF mid-loop
  CHECK(h.ask("p3a") == "40a7d8f7ff7f0000");                   // fs_base
  CHECK(h.ask("p4b") == std::string(32, '0'));                 // ymm15h
  CHECK(h.ask("p4c") == "E01");
  CHECK(h.ask("pzz") == "E01");
  CHECK(h.ask("p") == "E01");
  CHECK(h.ask("g1") == "");  // not a g packet
}

TEST_CASE("memory reads in hex and binary, partial at unreadable pages") {
  SessionHarness h;
  h.target.go_to(40);
  REQUIRE(FakeTarget::counter_at(40) == 4);
  CHECK(h.ask("m401000,8") == "0f1f40000f1f4000");
  CHECK(h.ask("m601000,8") == "0400000000000000");
  CHECK(h.ask("m402ffe,4") == "4000");  // the code ends at 0x403000
  CHECK(h.ask("m0,4") == "E14");
  CHECK(h.ask("m401000,0") == "");
  CHECK(h.ask("mzz,4") == "E01");
  CHECK(h.ask("m401000") == "E01");
  CHECK(h.ask("x601000,4") == std::string("b\x04\0\0\0", 5));
  CHECK(h.ask("x402ffe,4") == std::string("b@\0", 3));
  CHECK(h.ask("x0,4") == "E14");
  CHECK(h.ask("m7ffffffdd000,100000").size() == 2 * (0x20000 / 2 - 16));  // capped to the packet size
}

TEST_CASE("writes are refused: the history is read-only") {
  SessionHarness h;
  for (const char* packet : {"G00", "P10=0000000000000000", "M601000,1:ff", "X601000,1:\x01"}) {
    CHECK(h.ask(packet) == "E.the recorded history is read-only");
  }
  CHECK(h.ask("m601000,1") == "00");
}

TEST_CASE("breakpoints and watchpoints of any number and length reach the target") {
  SessionHarness h;
  CHECK(h.ask("Z0,401008,1") == "OK");
  CHECK(h.ask("Z1,402000,1") == "OK");
  CHECK(h.ask("Z2,601000,8") == "OK");
  CHECK(h.ask("Z3,601000,1000") == "OK");
  CHECK(h.ask("Z4,7ffffffdd000,20000") == "OK");
  CHECK(h.ask("Z2,601000,8") == "OK");  // again: still one
  for (int i = 0; i < 100; ++i) CHECK(h.ask("Z0," + hex_number(0x500000 + i) + ",1") == "OK");
  h.ask("vCont;s:1");
  const auto& conditions = h.target.last_conditions();
  CHECK(conditions.breakpoints.size() == 102);
  REQUIRE(conditions.watchpoints.size() == 3);
  CHECK(conditions.watchpoints[1].length == 0x1000);
  CHECK(conditions.watchpoints[1].kind == unstuck::target::WatchKind::Read);
  CHECK(conditions.watchpoints[2].kind == unstuck::target::WatchKind::Access);

  CHECK(h.ask("z0,401008,1") == "OK");
  CHECK(h.ask("z2,601000,8") == "OK");
  CHECK(h.ask("z2,601000,8") == "OK");  // removing what is not there is fine
  h.ask("vCont;s:1");
  CHECK(h.target.last_conditions().breakpoints.size() == 101);
  CHECK(h.target.last_conditions().watchpoints.size() == 2);
}

TEST_CASE("malformed Z packets are errors") {
  SessionHarness h;
  for (const char* packet : {"Z", "Z5,1000,1", "Z0", "Z0,zz,1", "Z0,1000", "Z2,601000,0", "Z01000,1", "z9,1,1"}) {
    CHECK_MESSAGE(h.ask(packet) == "E01", packet);
  }
  CHECK(h.ask("Z0,401000,1;X2,2020") == "OK");  // a condition is ignored
}

TEST_CASE("qXfer objects are read in slices") {
  SessionHarness h;
  std::string whole = h.ask("qXfer:features:read:target.xml:0,10000");
  REQUIRE(whole.starts_with("l<?xml"));
  std::string first = h.ask("qXfer:features:read:target.xml:0,10");
  CHECK(first == "m" + whole.substr(1, 16));
  std::string rest = h.ask("qXfer:features:read:target.xml:10,10000");
  CHECK("l" + first.substr(1) + rest.substr(1) == whole);
  CHECK(h.ask("qXfer:features:read:target.xml:ffff,10") == "l");
  CHECK(h.ask("qXfer:features:read:amd64-avx.xml:0,10000").find("ymm15h") != std::string::npos);
  CHECK(h.ask("qXfer:features:read:nope.xml:0,100") == "E00");
  CHECK(h.ask("qXfer:features:read:target.xml:zz") == "E00");
  CHECK(h.ask("qXfer:features:read:target.xml") == "E00");

  std::string auxv = h.ask("qXfer:auxv:read::0,1000");
  CHECK(auxv.size() == 1 + 32);  // AT_PAGESZ, AT_NULL: no byte to escape
  CHECK(auxv[1] == 6);

  CHECK(h.ask("qXfer:exec-file:read::0,1000") == "E00");  // unknown program
  h.target.set_executable("/usr/bin/fake#1");
  CHECK(h.ask("qXfer:exec-file:read:2a:0,1000") == "l/usr/bin/fake}\x03" "1");

  h.target.set_executable("./bin/../fake");
  h.target.set_working_directory("/home/user/project");
  CHECK(h.ask("qXfer:exec-file:read::0,1000") == "l/home/user/project/fake");
  h.target.set_executable("/abs/fake");
  CHECK(h.ask("qXfer:exec-file:read::0,1000") == "l/abs/fake");

  // A bare name was found on PATH when recorded (unstuck record -- gzip):
  // it is looked for there, not in the working directory.
  {
    std::string folder = std::filesystem::temp_directory_path() /
                         ("rsp-unit-tests-path-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    std::string tool = folder + "/fake-tool";
    std::FILE* f = std::fopen(tool.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fclose(f);
    std::filesystem::permissions(tool, std::filesystem::perms::owner_all);
    std::string saved_path = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", ("/nonexistent:" + folder).c_str(), 1);
    h.target.set_executable("fake-tool");
    CHECK(h.ask("qXfer:exec-file:read::0,1000") == "l" + tool);
    h.target.set_executable("not-on-path");  // as before: the working directory's
    CHECK(h.ask("qXfer:exec-file:read::0,1000") == "l/home/user/project/not-on-path");
    ::setenv("PATH", saved_path.c_str(), 1);
    std::filesystem::remove_all(folder);
  }

  h.target.go_to(40);
  std::string threads = h.ask("qXfer:threads:read::0,1000");
  CHECK(threads.find("<thread id=\"1\" name=\"fake\"/>") != std::string::npos);
  CHECK(threads.find("<thread id=\"2\" name=\"worker\"/>") != std::string::npos);
}

TEST_CASE("kill, detach and restart") {
  SessionHarness h;
  SUBCASE("vKill ends the process for GDB; vRun brings back the start") {
    h.target.go_to(50);
    CHECK(h.ask("vKill;2a") == "OK");
    CHECK(h.ask("?") == "W00");
    CHECK(h.ask("qfThreadInfo") == "l");
    CHECK(h.ask("g") == "E01");
    CHECK(h.ask("m401000,1") == "E01");
    CHECK(h.ask("c") == "E01");
    CHECK(h.ask("vRun;2f62696e2f6c73;2d6c") == "T05thread:1;");
    CHECK(h.target.time() == 0);
    CHECK(h.ask("qfThreadInfo") == "m1");
  }
  SUBCASE("k ends a plain session without a reply") {
    CHECK(h.exchange("k").empty());
    CHECK_FALSE(h.keep_going);
  }
  SUBCASE("k keeps an extended session") {
    h.ask("!");
    CHECK(h.exchange("k").empty());
    CHECK(h.keep_going);
    CHECK(h.ask("?") == "W00");
  }
  SUBCASE("D answers OK and ends a plain session") {
    CHECK(h.ask("D") == "OK");
    CHECK_FALSE(h.keep_going);
  }
  SUBCASE("D;PID in extended mode keeps the stub for another run") {
    h.ask("!");
    CHECK(h.ask("D;1") == "OK");
    CHECK(h.keep_going);
    CHECK(h.ask("vRun") == "T05thread:1;");
  }
}

TEST_CASE("random packets never crash a session") {
  SessionHarness h;
  h.ask("!");
  std::mt19937 random(99);
  const char* prefixes[] = {"g", "p", "m", "x", "M", "X", "G", "P", "Z", "z", "H", "T", "q", "Q", "v",
                            "vCont;", "vRun;", "qXfer:", "qXfer:features:read:", "qRcmd,", "qSupported:",
                            "bc", "bs", "c", "s", "C", "S", "?", "D", "k", "!"};
  const std::string alphabet = "0123456789abcdefxyz,:;.-p#}";
  for (int i = 0; i < 5000; ++i) {
    std::string packet = prefixes[random() % std::size(prefixes)];
    size_t tail = random() % 12;
    for (size_t j = 0; j < tail; ++j) packet += alphabet[random() % alphabet.size()];
    h.exchange(packet);
    CHECK(h.keep_going);
  }
}
