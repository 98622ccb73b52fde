// Monitor commands (qRcmd,HEX): GDB's `monitor ...`.  Output goes to GDB's
// console as O packets, then OK.  A mistaken command prints why and still
// answers OK: GDB would otherwise only say "Protocol error with Rcmd".
//   when              the current time and thread
//   goto TIME         jump to a time (an instruction count, start or end)
//   info trace        the recorded program, arguments, length, threads
//   checkpoint        remember the current time; prints its number
//   restart N         go back to checkpoint N
//   help              this list
#include <sstream>
#include <string>
#include <vector>

#include "gdbstub/rsp/executable_path.h"
#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/session.h"

namespace unstuck::rsp {

namespace {

using Words = std::vector<std::string>;

Words split_words(std::string_view line) {
  std::istringstream in{std::string(line)};
  Words words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string thread_label(target::ReplayTarget& target, uint32_t thread) {
  for (const auto& info : target.threads()) {
    if (info.number == thread) return std::to_string(thread) + " (" + info.name + ")";
  }
  return std::to_string(thread);
}

void when(Session& session) {
  auto& target = session.target();
  auto summary = target.summary();
  session.console("Current time: " + std::to_string(target.time()) + ", thread " +
                  thread_label(target, target.current_thread()) + "; the recording runs from " +
                  std::to_string(summary.start_time) + " to " + std::to_string(summary.end_time) +
                  ".\n");
}

// GDB caches registers and frames and is not told that a monitor command
// moved in time: unstuck-replay.gdb (loaded by unstuck replay) flushes
// GDB's caches after every monitor command.
void moved(Session& session, const target::StopEvent& stop, const std::string& how) {
  session.adopt_position(stop);
  session.console(how + "time " + std::to_string(stop.time) + ", thread " +
                  thread_label(session.target(), stop.thread) + ".\n");
}

std::optional<uint64_t> parse_time(Session& session, std::string_view word) {
  auto summary = session.target().summary();
  if (word == "start") return summary.start_time;
  if (word == "end") return summary.end_time;
  return parse_decimal(word);
}

void go_to(Session& session, const Words& words) {
  auto time = words.size() == 2 ? parse_time(session, words[1]) : std::nullopt;
  if (!time) {
    session.console("usage: monitor goto TIME (instructions since the start, or start, or end)\n");
    return;
  }
  moved(session, session.target().go_to(*time), "Now at ");
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

void info_trace(Session& session) {
  auto& target = session.target();
  auto summary = target.summary();
  std::string program = recorded_executable(summary);
  if (program.empty()) program = "(unknown)";
  std::string text = "Trace:     " + summary.folder + "\nProgram:   " + program +
                     "\nArguments: " + joined(summary.arguments) + "\nLength:    " +
                     std::to_string(summary.end_time - summary.start_time) +
                     " instructions (times " + std::to_string(summary.start_time) + " to " +
                     std::to_string(summary.end_time) + ")\nThreads:   " +
                     std::to_string(summary.threads) + " recorded; alive now:";
  for (const auto& info : target.threads()) {
    text += " " + std::to_string(info.number) + " (" + info.name + ")";
  }
  session.console(text + "\n");
}

void checkpoint(Session& session) {
  uint32_t number = session.target().checkpoint();
  session.console("Checkpoint " + std::to_string(number) + " at time " +
                  std::to_string(session.target().time()) + ".\n");
}

void restart(Session& session, const Words& words) {
  auto number = words.size() == 2 ? parse_decimal(words[1]) : std::nullopt;
  if (!number || *number > UINT32_MAX) {
    session.console("usage: monitor restart N (a number printed by monitor checkpoint)\n");
    return;
  }
  auto stop = session.target().restart(static_cast<uint32_t>(*number));
  if (!stop) {
    session.console("No checkpoint " + std::to_string(*number) + ".\n");
    return;
  }
  moved(session, *stop, "Restarted checkpoint " + std::to_string(*number) + ": now at ");
}

constexpr std::string_view kHelp =
    "unstuck monitor commands:\n"
    "  monitor when         the current time (instructions retired) and thread\n"
    "  monitor goto TIME    go to a time: a number, start, or end\n"
    "  monitor info trace   the recorded program, arguments, length and threads\n"
    "  monitor checkpoint   remember this time; prints the checkpoint's number\n"
    "  monitor restart N    go back to checkpoint N\n"
    "  monitor help         this text\n";

void run_command(Session& session, const Words& words) {
  const std::string& name = words.empty() ? std::string() : words[0];
  if (name == "when" && words.size() == 1) {
    when(session);
  } else if (name == "goto") {
    go_to(session, words);
  } else if (name == "info" && words.size() == 2 && words[1] == "trace") {
    info_trace(session);
  } else if (name == "checkpoint" && words.size() == 1) {
    checkpoint(session);
  } else if (name == "restart") {
    restart(session, words);
  } else if (name == "help" || name.empty()) {
    session.console(kHelp);
  } else {
    session.console("Unknown monitor command \"" + joined(words) + "\"; try \"monitor help\".\n");
  }
}

}  // namespace

bool handle_monitor_packet(Session& session, std::string_view packet) {
  if (!packet.starts_with("qRcmd,")) return false;
  auto line = from_hex(packet.substr(6));
  if (!line) {
    session.reply("E01");
    return true;
  }
  run_command(session, split_words(*line));
  session.reply("OK");
  return true;
}

}  // namespace unstuck::rsp
