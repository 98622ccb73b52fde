// One GDB session over a recorded run: the state the protocol keeps between
// packets (selected threads, breakpoints, whether a process exists for GDB)
// and the dispatch of each packet to its handler group (*_packets.cc,
// monitor_commands.cc).  No I/O here: replies go through SessionIo, so the
// tests can drive a session packet by packet.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gdbstub/rsp/stop_reply.h"
#include "gdbstub/target/replay_target.h"

namespace unstuck::rsp {

class SessionIo {
 public:
  virtual ~SessionIo() = default;
  virtual void send(std::string_view payload) = 0;
  // Called right after the OK to QStartNoAckMode has been sent.
  virtual void disable_acks() = 0;
  // Runs `resume` (a call of ReplayTarget::resume) so that an interrupt
  // from the client reaches ReplayTarget::interrupt meanwhile.
  virtual target::StopEvent run_interruptible(const std::function<target::StopEvent()>& resume) = 0;
};

// Thread ids of H packets: 0 any thread, -1 all threads.
inline constexpr uint32_t kAnyThread = 0;
inline constexpr uint32_t kAllThreads = UINT32_MAX;
// "-1", "0", hex, or the multiprocess form "pPID.TID" (the TID is used).
std::optional<uint32_t> parse_thread_id(std::string_view text);

enum class ProcessState { Alive, Exited, Gone };  // Gone: killed or detached

struct StopConditionsSet {
  std::set<uint64_t> software_breakpoints, hardware_breakpoints;
  std::vector<target::Watchpoint> watchpoints;
  target::StopConditions as_conditions() const;
};

struct SessionState {
  uint32_t general_thread = kAnyThread;   // Hg: registers are read from it
  uint32_t continue_thread = kAnyThread;  // Hc: s, bs step it
  bool extended = false;
  bool client_knows_break_reasons = false;
  ProcessState process = ProcessState::Alive;
  std::optional<target::StopEvent> last_stop;  // what `?` reports
  std::string last_stop_reply;
  StopConditionsSet stop_conditions;
};

class Session {
 public:
  Session(target::ReplayTarget& target, SessionIo& io) : target_(target), io_(io) {}

  // Answers one packet.  False when the session is over (D or k outside
  // extended mode).
  bool handle(std::string_view packet);

  target::ReplayTarget& target() { return target_; }
  SessionIo& io() { return io_; }
  SessionState& state() { return state_; }
  void reply(std::string_view payload) { io_.send(payload); }
  // Console text for GDB to print, as O packets (monitor commands, resumes).
  void console(std::string_view text);

  // The thread an Hg/Hc selection means now: a specific one, else the one
  // that runs next.
  uint32_t resolve_thread(uint32_t selected);
  // The threads GDB may see: none once the process has ended for GDB, so
  // that after an exit it does not take the recording for a new process.
  std::vector<target::ThreadInfo> live_threads();
  // Tells the client about a stop and remembers it for `?`.
  void report_stop(const target::StopEvent& stop, target::Direction direction);
  // After a goto, restart or vRun: a new current position, no reply sent.
  void adopt_position(const target::StopEvent& stop);

 private:
  StopContext stop_context(const target::StopEvent& stop, target::Direction direction);

  target::ReplayTarget& target_;
  SessionIo& io_;
  SessionState state_;
};

// The handler groups; each answers the packets it knows and returns false
// for the others.
bool handle_query_packet(Session& session, std::string_view packet);
bool handle_xfer_packet(Session& session, std::string_view packet);
bool handle_thread_packet(Session& session, std::string_view packet);
bool handle_data_packet(Session& session, std::string_view packet);
bool handle_breakpoint_packet(Session& session, std::string_view packet);
bool handle_resume_packet(Session& session, std::string_view packet);
bool handle_monitor_packet(Session& session, std::string_view packet);
// Lifecycle packets may end the session: `keep_going` is set false then.
bool handle_lifecycle_packet(Session& session, std::string_view packet, bool* keep_going);

// The refusal of every write (G, P, M, X): GDB shows the text of an
// "E." reply where it reports the failure.
inline constexpr std::string_view kReadOnlyReply = "E.the recorded history is read-only";

}  // namespace unstuck::rsp
