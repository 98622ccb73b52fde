// Replays a trace: re-executes the recorded guest code with the Executor
// and applies every recorded event at its exact time (memory and register
// changes made outside guest code, thread switches, redirections), checking
// each register digest.  The first difference is a divergence, reported
// with the time, thread, program counter, instruction and registers.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "gdbstub/replay/executor.h"
#include "gdbstub/replay/guest_memory.h"
#include "gdbstub/replay/recorded_nondet.h"
#include "gdbstub/replay/stop_conditions.h"
#include "shared/trace/event_records.h"
#include "shared/trace/trace_reader.h"

namespace unstuck::replay {

struct RegisterDifference {
  std::string name;
  uint64_t recorded, replayed;
};

struct Divergence {
  std::string what;  // one sentence
  uint64_t time = 0;
  uint32_t thread = 0;
  uint64_t pc = 0;
  std::vector<RegisterDifference> registers;
};

enum class ReplayOutcome {
  Finished,    // the end of the trace (or the requested time) was reached
  Stopped,     // a stop condition was met: see hit()
  Diverged,    // see divergence()
  TraceError,  // the trace is unreadable from some point: see error()
};

struct ReplayStats {
  uint64_t events = 0, digests = 0, syscalls = 0, signals = 0, nondet = 0;
  uint64_t memory_bytes = 0;  // written into guest memory from the trace
};

class TraceReplayer {
 public:
  // Prepares to replay `reader`'s trace from its start.
  explicit TraceReplayer(const trace::TraceReader& reader);
  TraceReplayer(const TraceReplayer&) = delete;
  TraceReplayer& operator=(const TraceReplayer&) = delete;

  // Replays until `until` (or the trace's end, whichever is first).
  ReplayOutcome run_until(uint64_t until);
  // The same, stopping where a condition is met: before a breakpoint's
  // instruction (except at time `ignore_breakpoints_at`, where the client
  // resumes from one), after an instruction that accessed a watched range
  // (before the events recorded at that time are applied).  The engine
  // checks the conditions (executor.h) at full speed.
  ReplayOutcome run_until(uint64_t until, const StopConditions& conditions,
                          uint64_t ignore_breakpoints_at);
  const ConditionHit& hit() const { return hit_; }
  // Makes run_until check conditions the portable way instead: one
  // instruction per engine call, and a write watchpoint seen by comparing
  // the watched bytes before and after (so writes of the same value and
  // reads go unseen).  The reference the engine's checks are tested
  // against (check-stop-conditions); ten million instructions a second.
  void set_stepping_oracle(bool on) { stepping_oracle_ = on; }

  uint64_t time() const { return executor_->time(); }
  // The thread that runs the next instruction (0 before the first), and
  // the live threads with their registers.
  uint32_t running_thread() const { return running_; }
  std::vector<uint32_t> live_threads() const;
  const VexGuestAMD64State* registers(uint32_t thread) const;
  bool at_end() { return !peek() && error_.empty(); }
  // True when [address, address + length) lies in mappings the trace made.
  bool is_mapped(uint64_t address, uint64_t length) const;
  const Divergence& divergence() const { return divergence_; }
  const std::string& error() const { return error_; }
  const ReplayStats& stats() const { return stats_; }
  // How the recorded process ended, once the replay reached it.
  const std::string& ending() const { return ending_; }

  GuestMemory& memory() { return *memory_; }
  Executor& executor() { return *executor_; }

 private:
  static constexpr uint32_t kWords = sizeof(VexGuestAMD64State) / 8;
  using Words = std::array<uint64_t, kWords>;

  bool peek();  // loads the next event (queueing Nondet ones); false at end
  bool apply_events_now();  // every event at the current time
  bool step_with_watch(const StopConditions& c);
  ReplayOutcome run_stepping(uint64_t until, const StopConditions& c,
                             uint64_t ignore_breakpoints_at);
  bool run_to(uint64_t deadline);
  bool run_to_condition(uint64_t deadline);
  bool report_stop_before(uint64_t deadline);
  ReplayOutcome failure() const;
  bool apply(const trace::AnyEvent& e);
  bool apply_memory(const trace::AnyEvent& e);
  bool check_digest(const trace::AnyEvent& e);
  bool expect_stop(uint64_t time, StopReason reason, const char* what);
  bool diverge(const std::string& what);
  bool trace_error(const std::string& what);
  Words& state_of(uint32_t thread);
  VexGuestAMD64State& guest_state_of(uint32_t thread);

  const trace::TraceReader& reader_;
  trace::EventStream stream_;
  std::unique_ptr<GuestMemory> memory_;
  RecordedNondet nondet_;
  std::unique_ptr<Executor> executor_;
  void note_mapping(uint64_t address, uint64_t length, bool mapped);

  std::map<uint64_t, uint64_t> mapped_;  // start -> end of mapped ranges
  std::map<uint32_t, Words> threads_;   // replayed registers
  std::set<uint32_t> exited_;           // threads that ended (registers kept)
  std::map<uint32_t, Words> digests_;   // recorded registers at the last digest
  uint32_t running_ = 0;                // 0: no thread runs yet
  Stop last_stop_{StopReason::ReachedDeadline, 0, 0, {}};
  uint64_t last_stop_time_ = UINT64_MAX;
  std::unique_ptr<trace::AnyEvent> next_;
  bool have_next_ = false;
  bool at_end_ = false;
  ConditionHit hit_;
  bool stepping_oracle_ = false;
  Divergence divergence_;
  std::string error_, ending_;
  ReplayStats stats_;
};

}  // namespace unstuck::replay
