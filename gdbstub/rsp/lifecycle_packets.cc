// The process's life as GDB sees it: extended mode (!), the stop status
// (?), restarting the recording (vRun), and leaving (vKill, k, D).  The
// history cannot be killed: "killing" only ends GDB's view of the process,
// and vRun brings it back at the start of the recording.
#include "gdbstub/rsp/session.h"

namespace unstuck::rsp {

namespace {

void answer_stop_status(Session& session) {
  SessionState& state = session.state();
  if (state.process == ProcessState::Gone) {
    session.reply("W00");
    return;
  }
  if (!state.last_stop) {
    // First contact: the recording stands at its current time, as a
    // stopped process would after exec.
    target::StopEvent stop;
    stop.kind = target::StopKind::Step;
    stop.thread = session.target().current_thread();
    stop.time = session.target().time();
    session.adopt_position(stop);
  }
  session.reply(state.last_stop_reply);
}

// vRun;PROGRAM;ARGS...: the program and arguments are the recorded ones,
// whatever GDB sends; "running" means going back to the start.
void restart_recording(Session& session) {
  auto start = session.target().summary().start_time;
  target::StopEvent stop = session.target().go_to(start);
  session.adopt_position(stop);
  session.reply(session.state().last_stop_reply);
}

}  // namespace

bool handle_lifecycle_packet(Session& session, std::string_view packet, bool* keep_going) {
  SessionState& state = session.state();
  if (packet == "!") {
    state.extended = true;
    session.reply("OK");
  } else if (packet == "?") {
    answer_stop_status(session);
  } else if (packet.starts_with("vRun;") || packet == "vRun") {
    restart_recording(session);
  } else if (packet.starts_with("vKill")) {
    state.process = ProcessState::Gone;
    session.reply("OK");
  } else if (packet == "k") {
    // No reply to k.  Outside extended mode GDB disconnects after it.
    state.process = ProcessState::Gone;
    *keep_going = state.extended;
  } else if (packet == "D" || packet.starts_with("D;")) {
    session.reply("OK");
    state.process = ProcessState::Gone;
    *keep_going = state.extended;
  } else {
    return false;
  }
  return true;
}

}  // namespace unstuck::rsp
