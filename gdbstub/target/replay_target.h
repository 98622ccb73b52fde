// What the GDB stub needs from a recorded run: the interface between the
// remote-protocol server (gdbstub/rsp/) and the time machine that replays
// the trace (gdbstub/target/).  The stub never sees processes, snapshots or
// the engine; the time machine never sees packets.
//
// Times are the trace's: guest instructions retired so far, over all
// threads.  "The state at time T" is the state after T instructions, with
// every event recorded at T applied: what the next instruction sees.
// Threads are the trace's thread numbers (1 is the main thread); they never
// change meaning, even when Valgrind reused a thread slot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

extern "C" {
#include "libvex_guest_amd64.h"
}

namespace unstuck::target {

struct ThreadInfo {
  uint32_t number;
  std::string name;  // as the kernel's comm: the program name, or set by prctl
};

enum class WatchKind { Write, Read, Access };

struct Watchpoint {
  uint64_t address;
  uint64_t length;  // any length
  WatchKind kind;
  bool operator==(const Watchpoint&) const = default;
};

enum class Direction { Forward, Backward };

enum class StopKind {
  Breakpoint,    // the thread is about to execute a breakpoint address
  Watchpoint,    // a watched range was accessed (see StopEvent::watch_*)
  Step,          // a single step finished
  Signal,        // a signal is about to be delivered to the thread
  HistoryBegin,  // running backwards reached the start of the recording
  HistoryEnd,    // running forwards reached the last recorded instruction
  Exited,        // running forwards past the end: the recorded process end
  Interrupted,   // the client asked to stop (Ctrl-C)
  Error,         // the replay cannot go on; see StopEvent::message
};

struct StopEvent {
  StopKind kind = StopKind::Step;
  uint32_t thread = 0;
  uint64_t time = 0;
  // Watchpoint: the watched address hit and how.
  uint64_t watch_address = 0;
  WatchKind watch_kind = WatchKind::Write;
  // Signal: the signal number; Exited: the exit status, or the signal that
  // ended the process when `killed`.
  int signal = 0;
  int exit_status = 0;
  bool killed = false;
  std::string message;  // Error: why
};

// A stop condition set by the client; all are checked inside the replay
// engine, with no limit on their number or on watched lengths.
struct StopConditions {
  std::vector<uint64_t> breakpoints;
  std::vector<Watchpoint> watchpoints;
};

struct TraceSummary {
  std::string folder, executable;
  std::vector<std::string> arguments;
  uint64_t start_time = 0, end_time = 0;
  uint32_t threads = 0;
  std::vector<uint8_t> auxv;  // raw, for qXfer:auxv:read
  // Proposed by the GDB stub: the recorded process's working directory, so
  // a relative `executable` (as the program was started, e.g. "./demo")
  // can be found from anywhere.  Empty when unknown.
  std::string working_directory;
};

class ReplayTarget {
 public:
  virtual ~ReplayTarget() = default;

  virtual TraceSummary summary() = 0;
  virtual uint64_t time() = 0;
  // The thread that runs the next instruction at the current time.
  virtual uint32_t current_thread() = 0;
  virtual std::vector<ThreadInfo> threads() = 0;  // alive at the current time

  virtual std::optional<VexGuestAMD64State> registers(uint32_t thread) = 0;
  // False when some of the range is not readable memory of the guest.
  virtual bool read_memory(uint64_t address, void* out, uint64_t length) = 0;

  // Runs from the current time in `direction` until a condition is met, the
  // history ends, or `interrupt_requested()` turns true (polled).  Single
  // steps execute (or un-execute) one instruction of `thread`.
  virtual StopEvent resume(Direction direction, bool single_step, uint32_t thread,
                           const StopConditions& conditions) = 0;
  virtual void interrupt() = 0;  // thread-safe: makes a running resume stop

  // Moves to the state at `time` (clamped to the history); the stop is a
  // Step stop of the thread that runs there.
  virtual StopEvent go_to(uint64_t time) = 0;

  // Named points to come back to (monitor checkpoint / restart N).
  virtual uint32_t checkpoint() = 0;
  virtual std::optional<StopEvent> restart(uint32_t checkpoint) = 0;
};

}  // namespace unstuck::target
