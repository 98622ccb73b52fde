// Threads: selecting them (Hg for reads, Hc for steps), asking whether one
// is alive (T), which one is current (qC) and which exist (qfThreadInfo,
// qsThreadInfo).  Thread ids are the trace's thread numbers, in hex.
#include <string>

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/session.h"

namespace unstuck::rsp {

namespace {

bool thread_exists(Session& session, uint32_t thread) {
  for (const auto& info : session.live_threads()) {
    if (info.number == thread) return true;
  }
  return false;
}

// Hg THREAD / Hc THREAD.  A thread that does not exist now is refused.
void select_thread(Session& session, char which, std::string_view id) {
  auto thread = parse_thread_id(id);
  bool valid = thread && (*thread == kAnyThread || *thread == kAllThreads ||
                          thread_exists(session, *thread));
  if (!valid || (which != 'g' && which != 'c')) {
    session.reply("E01");
    return;
  }
  (which == 'g' ? session.state().general_thread : session.state().continue_thread) = *thread;
  session.reply("OK");
}

void thread_alive(Session& session, std::string_view id) {
  auto thread = parse_thread_id(id);
  bool alive = thread && session.state().process == ProcessState::Alive &&
               thread_exists(session, *thread);
  session.reply(alive ? "OK" : "E01");
}

// All threads fit in the first reply; qsThreadInfo ends the list.
void list_threads(Session& session) {
  std::string reply = "m";
  for (const auto& info : session.live_threads()) {
    if (reply.size() > 1) reply += ',';
    reply += hex_number(info.number);
  }
  session.reply(reply.size() > 1 ? reply : "l");
}

}  // namespace

bool handle_thread_packet(Session& session, std::string_view packet) {
  if (packet.size() >= 2 && packet[0] == 'H') {
    select_thread(session, packet[1], packet.substr(2));
  } else if (packet.starts_with("T")) {
    thread_alive(session, packet.substr(1));
  } else if (packet == "qC") {
    uint32_t thread = session.resolve_thread(session.state().general_thread);
    session.reply("QC" + hex_number(thread));
  } else if (packet == "qfThreadInfo") {
    list_threads(session);
  } else if (packet == "qsThreadInfo") {
    session.reply("l");
  } else {
    return false;
  }
  return true;
}

}  // namespace unstuck::rsp
