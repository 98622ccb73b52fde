// Running the recording: vCont (c, C, s, S) and vCont?, the old c/C/s/S
// packets, and the reverse bc/bs.  Signals given with C/S cannot be
// delivered into a recorded history and are ignored.  GDB composes
// reverse-next and reverse-finish itself from bs, bc and Z0 breakpoints.
#include <string>
#include <vector>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/session.h"

namespace unstuck::rsp {

namespace {

using target::Direction;

struct ResumeRequest {
  Direction direction = Direction::Forward;
  bool single_step = false;
  uint32_t thread = kAnyThread;  // resolved before running
};

void run(Session& session, ResumeRequest request) {
  if (session.state().process != ProcessState::Alive) {
    // Nothing to run: report the end again (or that there is no process).
    if (session.state().process == ProcessState::Exited) {
      session.reply(session.state().last_stop_reply);
    } else {
      session.reply("E01");
    }
    return;
  }
  target::ReplayTarget& target = session.target();
  uint32_t thread = session.resolve_thread(request.thread);
  target::StopConditions conditions = session.state().stop_conditions.as_conditions();
  target::StopEvent stop = session.io().run_interruptible([&] {
    return target.resume(request.direction, request.single_step, thread, conditions);
  });
  session.report_stop(stop, request.direction);
}

// One vCont action: "c", "C05", "s", "S05", optionally ":THREAD".
struct VContAction {
  char kind = 'c';
  std::optional<uint32_t> thread;  // none: every thread not named elsewhere
};

std::optional<VContAction> parse_vcont_action(std::string_view text) {
  if (text.empty()) return std::nullopt;
  VContAction action;
  action.kind = text[0];
  size_t colon = text.find(':');
  std::string_view signal = text.substr(1, colon == std::string_view::npos ? text.size() - 1 : colon - 1);
  bool takes_signal = action.kind == 'C' || action.kind == 'S';
  if (action.kind != 'c' && action.kind != 's' && !takes_signal) return std::nullopt;
  if (takes_signal ? !parse_hex(signal) : !signal.empty()) return std::nullopt;
  if (colon != std::string_view::npos) {
    action.thread = parse_thread_id(text.substr(colon + 1));
    if (!action.thread) return std::nullopt;
  }
  return action;
}

// All-stop GDB steps at most one thread at a time; the other threads run
// as recorded while it does.  So: a step action decides, else continue.
std::optional<ResumeRequest> parse_vcont(std::string_view actions) {
  ResumeRequest request;
  bool any = false;
  while (!actions.empty()) {
    if (actions[0] != ';') return std::nullopt;
    actions.remove_prefix(1);
    size_t end = actions.find(';');
    auto action = parse_vcont_action(actions.substr(0, end));
    if (!action) return std::nullopt;
    any = true;
    bool step = action->kind == 's' || action->kind == 'S';
    if (step && !request.single_step) {
      request.single_step = true;
      request.thread = action->thread.value_or(kAnyThread);
    }
    actions = end == std::string_view::npos ? std::string_view() : actions.substr(end);
  }
  if (!any) return std::nullopt;
  return request;
}

// c [ADDR], s [ADDR], C SIG[;ADDR], S SIG[;ADDR]: resuming at another
// address would rewrite the history, so an address is refused.
bool has_resume_address(std::string_view packet) {
  if (packet[0] == 'c' || packet[0] == 's') return packet.size() > 1;
  return packet.find(';') != std::string_view::npos;
}

bool well_formed_old_style(std::string_view packet) {
  if (packet[0] == 'c' || packet[0] == 's') return packet.size() == 1 || parse_hex(packet.substr(1));
  std::string_view signal = packet.substr(1, packet.find(';') - 1);
  return parse_hex(signal).has_value();
}

// The thread that s and bs step: the Hc thread, or when Hc names no thread
// in particular (0 or -1), the Hg thread, as gdbserver does.  GDB relies on
// it for reverse steps: with scheduler-locking off it sends Hc0 and bs, and
// the thread it means is the one whose registers it read last (after
// `thread 2`, Hg2), not necessarily the one running at the current time.
uint32_t thread_to_step(Session& session) {
  uint32_t thread = session.state().continue_thread;
  if (thread == kAnyThread || thread == kAllThreads) thread = session.state().general_thread;
  return thread;
}

void old_style_resume(Session& session, std::string_view packet) {
  if (!well_formed_old_style(packet)) {
    session.reply("E01");
    return;
  }
  if (has_resume_address(packet)) {
    session.reply(kReadOnlyReply);
    return;
  }
  ResumeRequest request;
  request.single_step = packet[0] == 's' || packet[0] == 'S';
  request.thread = request.single_step ? thread_to_step(session) : session.state().continue_thread;
  run(session, request);
}

void reverse_resume(Session& session, bool single_step) {
  ResumeRequest request;
  request.direction = Direction::Backward;
  request.single_step = single_step;
  request.thread = single_step ? thread_to_step(session) : session.state().continue_thread;
  run(session, request);
}

}  // namespace

bool handle_resume_packet(Session& session, std::string_view packet) {
  if (packet == "vCont?") {
    session.reply("vCont;c;C;s;S");
  } else if (packet.starts_with("vCont;") || packet == "vCont") {
    auto request = parse_vcont(packet.substr(5));
    if (request) {
      run(session, *request);
    } else {
      session.reply("E01");
    }
  } else if (packet == "bc" || packet == "bs") {
    reverse_resume(session, packet == "bs");
  } else if (!packet.empty() && std::string_view("csCS").find(packet[0]) != std::string_view::npos) {
    old_style_resume(session, packet);
  } else {
    return false;
  }
  return true;
}

}  // namespace unstuck::rsp
