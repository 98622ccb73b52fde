// Resuming forwards and backwards: vCont, c/s/C/S, bc/bs, and the stop
// replies they end with.  Expectations follow fake_target.h's model.
#include <doctest/doctest.h>

#include "gdbstub/rsp/tests/rsp_client.h"

using namespace unstuck::rsp;
using namespace unstuck::rsp::testing;
using unstuck::target::StopEvent;
using unstuck::target::StopKind;

namespace {

// A session whose client announced the swbreak/hwbreak stop reasons, as
// GDB 13 does.
struct GdbLikeSession : SessionHarness {
  GdbLikeSession() { ask("qSupported:multiprocess+;swbreak+;hwbreak+"); }
};

StopEvent scripted(StopKind kind, int signal = 0, std::string message = "") {
  StopEvent stop;
  stop.kind = kind;
  stop.thread = 1;
  stop.signal = signal;
  stop.message = std::move(message);
  return stop;
}

}  // namespace

TEST_CASE("single steps forwards and backwards, into the start of the history") {
  GdbLikeSession h;
  CHECK(h.ask("vCont;s:1;c") == "T05thread:1;");
  CHECK(h.target.time() == 1);
  CHECK(h.ask("s") == "T05thread:1;");
  CHECK(h.target.time() == 2);
  CHECK(h.ask("bs") == "T05thread:1;");
  CHECK(h.ask("bs") == "T05thread:1;");
  CHECK(h.target.time() == 0);
  CHECK(h.ask("bs") == "T05thread:1;replaylog:begin;");
  CHECK(h.io.resumes == 5);  // every resume runs interruptibly
}

TEST_CASE("continuing off the end: the history's end, then the recorded exit") {
  GdbLikeSession h;
  CHECK(h.ask("c") == "T05thread:1;replaylog:end;");
  CHECK(h.target.time() == FakeTarget::kEndTime);
  CHECK(h.ask("vCont;c") == "W03");
  CHECK(h.ask("?") == "W03");
  CHECK(h.ask("qfThreadInfo") == "l");  // no process any more for GDB
  CHECK(h.ask("qXfer:threads:read::0,1000").find("<thread ") == std::string::npos);
  CHECK(h.ask("vCont;c") == "W03");
  CHECK(h.ask("vRun;") == "T05thread:1;");
  CHECK(h.target.time() == 0);
  CHECK(h.ask("qfThreadInfo") == "m1");
}

TEST_CASE("a recorded death by a signal is an X reply") {
  GdbLikeSession h;
  h.target.set_exit_signal(9);
  h.target.go_to(FakeTarget::kEndTime);
  CHECK(h.ask("c") == "X09");
}

TEST_CASE("reverse-continue without breakpoints stops at the start") {
  GdbLikeSession h;
  h.target.go_to(50);
  CHECK(h.ask("bc") == "T05thread:1;replaylog:begin;");
  CHECK(h.target.time() == 0);
}

TEST_CASE("software and hardware breakpoints, both directions") {
  GdbLikeSession h;
  CHECK(h.ask("Z0,401008,1") == "OK");
  CHECK(h.ask("c") == "T05thread:1;swbreak:;");
  CHECK(h.target.time() == 2);
  CHECK(h.ask("c") == "T05thread:1;swbreak:;");  // not the same place again
  CHECK(h.target.time() == 10);
  CHECK(h.ask("bc") == "T05thread:1;swbreak:;");
  CHECK(h.target.time() == 2);
  CHECK(h.ask("bc") == "T05thread:1;replaylog:begin;");
  CHECK(h.ask("z0,401008,1") == "OK");
  CHECK(h.ask("Z1,401008,1") == "OK");
  CHECK(h.ask("c") == "T05thread:1;hwbreak:;");
  CHECK(h.ask("Z0,401008,1") == "OK");
  CHECK(h.ask("c") == "T05thread:1;swbreak:;");  // both kinds there: swbreak
}

TEST_CASE("without swbreak+ from the client, breakpoint stops carry no reason") {
  SessionHarness h;
  h.ask("qSupported:multiprocess+");
  h.ask("Z0,401008,1");
  CHECK(h.ask("c") == "T05thread:1;");
}

TEST_CASE("a breakpoint in another thread selects that thread") {
  GdbLikeSession h;
  h.ask("Hg1");
  h.ask("Z0,402004,1");
  CHECK(h.ask("c") == "T05thread:2;swbreak:;");
  CHECK(h.target.time() == 33);
  CHECK(h.session.state().general_thread == 2);
  CHECK(h.ask("p0") == "e903000000000000");  // the worker's rax
  // After a reverse resume the selection goes back to "any" (as rr does).
  CHECK(h.ask("bc") == "T05thread:1;replaylog:begin;");
  CHECK(h.session.state().general_thread == kAnyThread);
  CHECK(h.session.state().continue_thread == kAnyThread);
}

TEST_CASE("write, read and access watchpoints stop after the access forwards, before it backwards") {
  GdbLikeSession h;
  SUBCASE("write") {
    CHECK(h.ask("Z2,601000,8") == "OK");
    CHECK(h.ask("c") == "T05thread:1;watch:601000;");
    CHECK(h.target.time() == 4);
    CHECK(h.ask("m601000,1") == "01");
    CHECK(h.ask("vCont;c") == "T05thread:1;watch:601000;");
    CHECK(h.ask("m601000,1") == "02");
    CHECK(h.ask("bc") == "T05thread:1;watch:601000;");
    CHECK(h.target.time() == 11);
    CHECK(h.ask("m601000,1") == "01");
    CHECK(h.ask("p10") == "0c10400000000000");  // at the writing instruction
    CHECK(h.ask("bc") == "T05thread:1;watch:601000;");
    CHECK(h.ask("m601000,1") == "00");
    CHECK(h.ask("bc") == "T05thread:1;replaylog:begin;");
  }
  SUBCASE("read, on part of the word") {
    CHECK(h.ask("Z3,601004,4") == "OK");
    CHECK(h.ask("c") == "T05thread:1;rwatch:601004;");
    CHECK(h.target.time() == 6);
  }
  SUBCASE("access") {
    CHECK(h.ask("Z4,600ff0,20") == "OK");
    CHECK(h.ask("c") == "T05thread:1;awatch:601000;");
    CHECK(h.target.time() == 4);
    CHECK(h.ask("c") == "T05thread:1;awatch:601000;");
    CHECK(h.target.time() == 6);
  }
  SUBCASE("a single step over the writing instruction reports the watchpoint") {
    h.target.go_to(3);
    h.ask("Z2,601000,8");
    CHECK(h.ask("vCont;s:1;c") == "T05thread:1;watch:601000;");
    CHECK(h.ask("bs") == "T05thread:1;watch:601000;");
    CHECK(h.target.time() == 3);
  }
}

TEST_CASE("stepping one thread lets the others run as recorded") {
  GdbLikeSession h;
  h.target.go_to(30);
  SUBCASE("with Hc and s") {
    CHECK(h.ask("Hc2") == "OK");
    CHECK(h.ask("s") == "T05thread:2;");
    CHECK(h.target.time() == 32);
    CHECK(h.ask("Hc2") == "OK");
    CHECK(h.ask("bs") == "T05thread:2;");
    CHECK(h.target.time() == 31);
  }
  SUBCASE("bs with Hc0 steps the Hg thread (GDB's reverse-stepi after `thread 2`)") {
    h.target.go_to(36);  // thread 1 runs next; thread 2 ran at 35
    CHECK(h.ask("Hg2") == "OK");
    CHECK(h.ask("Hc0") == "OK");
    CHECK(h.ask("bs") == "T05thread:2;");
    CHECK(h.target.time() == 35);
    // After the reverse step both selections are "any" again: the thread
    // that runs next, the one just stepped.
    CHECK(h.ask("bs") == "T05thread:2;");
    CHECK(h.target.time() == 33);
    CHECK(h.ask("Hg1") == "OK");
    CHECK(h.ask("Hc-1") == "OK");
    CHECK(h.ask("s") == "T05thread:1;");
    CHECK(h.target.time() == 35);
  }
  SUBCASE("with vCont") {
    CHECK(h.ask("vCont;s:2;c") == "T05thread:2;");
    CHECK(h.target.time() == 32);
    CHECK(h.ask("vCont;c:1;s:p1.2") == "T05thread:2;");
    CHECK(h.target.time() == 34);
  }
}

TEST_CASE("signals given to C, S and vCont are ignored: the history is fixed") {
  GdbLikeSession h;
  CHECK(h.ask("S05") == "T05thread:1;");
  CHECK(h.ask("vCont;S0b:1;c") == "T05thread:1;");
  CHECK(h.target.time() == 2);
  CHECK(h.ask("C0b") == "T05thread:1;replaylog:end;");
}

TEST_CASE("malformed resume packets are errors; resuming elsewhere is refused") {
  GdbLikeSession h;
  for (const char* packet : {"vCont", "vCont;", "vCont;x", "vCont;s:zz", "vCont;C", "vCont;c05",
                             "vCont;t:1", "Czz", "C", "S", "czz"}) {
    CHECK_MESSAGE(h.ask(packet) == "E01", packet);
  }
  CHECK(h.ask("c401000") == "E.the recorded history is read-only");
  CHECK(h.ask("C05;401000") == "E.the recorded history is read-only");
  CHECK(h.target.time() == 0);
  CHECK(h.target.resumes() == 0);
}

TEST_CASE("signals, interrupts and replay errors as stop replies") {
  GdbLikeSession h;
  h.target.script_next_stop(scripted(StopKind::Signal, 10));  // SIGUSR1: GDB's 30
  CHECK(h.ask("c") == "T1ethread:1;");
  h.target.script_next_stop(scripted(StopKind::Signal, 7));  // SIGBUS: GDB's 10
  CHECK(h.ask("c") == "T0athread:1;");
  h.target.script_next_stop(scripted(StopKind::Interrupted));
  CHECK(h.ask("c") == "T02thread:1;");
  h.target.script_next_stop(scripted(StopKind::Error, 0, "the trace is truncated"));
  auto replies = h.exchange("c");
  REQUIRE(replies.size() == 2);
  CHECK(console_text(replies) == "unstuck: the replay cannot go on: the trace is truncated\n");
  CHECK(replies[1] == "T05thread:1;replaylog:end;");
  h.target.script_next_stop(scripted(StopKind::Error, 0, "lost"));
  CHECK(h.ask("bc") == "T05thread:1;replaylog:begin;");
  CHECK(h.ask("?") == "T05thread:1;replaylog:begin;");
}
