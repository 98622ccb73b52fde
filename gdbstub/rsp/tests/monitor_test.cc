// Monitor commands (qRcmd): console output as O packets, then OK.
#include <doctest/doctest.h>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/tests/rsp_client.h"

using namespace unstuck::rsp;
using namespace unstuck::rsp::testing;

namespace {

struct MonitorSession : SessionHarness {
  // The console text of `monitor COMMAND`; checks the final OK.
  std::string monitor(std::string_view command) {
    auto replies = exchange("qRcmd," + to_hex(command));
    CHECK(!replies.empty());
    CHECK(replies.back() == "OK");
    return console_text(replies);
  }
};

}  // namespace

TEST_CASE("monitor when: the current time and thread") {
  MonitorSession h;
  CHECK(h.monitor("when") == "Current time: 0, thread 1 (fake); the recording runs from 0 to 100.\n");
  h.target.go_to(31);
  CHECK(h.monitor("when") == "Current time: 31, thread 2 (worker); the recording runs from 0 to 100.\n");
}

TEST_CASE("monitor goto moves in time, and ? reports the new position") {
  MonitorSession h;
  CHECK(h.monitor("goto 42") == "Now at time 42, thread 1 (fake).\n");
  CHECK(h.target.time() == 42);
  CHECK(h.monitor("when").starts_with("Current time: 42, thread 1"));
  CHECK(h.monitor("goto 33") == "Now at time 33, thread 2 (worker).\n");
  CHECK(h.ask("?") == "T05thread:2;");
  CHECK(h.monitor("goto end") == "Now at time 100, thread 1 (fake).\n");
  CHECK(h.monitor("goto start") == "Now at time 0, thread 1 (fake).\n");
  CHECK(h.monitor("goto 100000") == "Now at time 100, thread 1 (fake).\n");  // clamped
  const char* usage = "usage: monitor goto TIME (instructions since the start, or start, or end)\n";
  CHECK(h.monitor("goto") == usage);
  CHECK(h.monitor("goto soon") == usage);
  CHECK(h.monitor("goto 1 2") == usage);
  CHECK(h.monitor("goto -5") == usage);
  CHECK(h.target.time() == 100);
}

TEST_CASE("monitor goto revives a process GDB saw exit") {
  MonitorSession h;
  h.target.go_to(100);
  CHECK(h.ask("c") == "W03");
  h.monitor("goto 10");
  CHECK(h.ask("?") == "T05thread:1;");
  CHECK(h.ask("qfThreadInfo") == "m1");
}

TEST_CASE("monitor info trace describes the recording") {
  MonitorSession h;
  h.target.set_executable("/usr/bin/fake-program");
  h.target.go_to(40);
  CHECK(h.monitor("info trace") ==
        "Trace:     /fake/trace\n"
        "Program:   /usr/bin/fake-program\n"
        "Arguments: fake-program --fast\n"
        "Length:    100 instructions (times 0 to 100)\n"
        "Threads:   2 recorded; alive now: 1 (fake) 2 (worker)\n");
}

TEST_CASE("monitor checkpoint and restart") {
  MonitorSession h;
  h.target.go_to(42);
  CHECK(h.monitor("checkpoint") == "Checkpoint 1 at time 42.\n");
  h.target.go_to(7);
  CHECK(h.monitor("checkpoint") == "Checkpoint 2 at time 7.\n");
  h.target.go_to(90);
  CHECK(h.monitor("restart 1") == "Restarted checkpoint 1: now at time 42, thread 1 (fake).\n");
  CHECK(h.target.time() == 42);
  CHECK(h.monitor("restart 2") == "Restarted checkpoint 2: now at time 7, thread 1 (fake).\n");
  CHECK(h.monitor("restart 3") == "No checkpoint 3.\n");
  CHECK(h.monitor("restart") == "usage: monitor restart N (a number printed by monitor checkpoint)\n");
  CHECK(h.monitor("restart x") == "usage: monitor restart N (a number printed by monitor checkpoint)\n");
  CHECK(h.target.time() == 7);
}

TEST_CASE("monitor help, unknown commands and bad hex") {
  MonitorSession h;
  std::string help = h.monitor("help");
  for (const char* command : {"when", "goto TIME", "info trace", "checkpoint", "restart N", "help"}) {
    CHECK_MESSAGE(help.find(std::string("monitor ") + command) != std::string::npos, command);
  }
  CHECK(h.monitor("") == help);
  CHECK(h.monitor("  when  ").starts_with("Current time: 0"));
  CHECK(h.monitor("frobnicate now") == "Unknown monitor command \"frobnicate now\"; try \"monitor help\".\n");
  CHECK(h.ask("qRcmd,7") == "E01");
  CHECK(h.ask("qRcmd,zz") == "E01");
}

TEST_CASE("long console output is split into several O packets") {
  MonitorSession h;
  h.target.set_executable(std::string(3000, 'p'));
  auto replies = h.exchange("qRcmd," + to_hex("info trace"));
  CHECK(replies.size() >= 4);
  CHECK(console_text(replies).find(std::string(3000, 'p')) != std::string::npos);
}
