// The coordinator's side of one replay worker process (replay_worker.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "gdbstub/replay/stop_conditions.h"
#include "gdbstub/replay/trace_replayer.h"

extern "C" {
#include "libvex_guest_amd64.h"
}

namespace unstuck::target {

struct RunResult {
  replay::ReplayOutcome outcome = replay::ReplayOutcome::TraceError;
  uint64_t time = 0;
  uint32_t thread = 0;
  replay::ConditionHit hit;
  bool at_end = false;
  std::string message;  // why, for a divergence or a trace error
};

struct WorkerState {
  uint64_t time = 0;
  uint32_t running = 0;
  std::vector<uint32_t> threads;
};

class WorkerHandle {
 public:
  // Forks the first worker, which opens the trace and moves to its start.
  static std::unique_ptr<WorkerHandle> start(const std::string& trace_folder,
                                             std::string* error);
  ~WorkerHandle();
  WorkerHandle(const WorkerHandle&) = delete;
  WorkerHandle& operator=(const WorkerHandle&) = delete;

  // A copy of this worker, at the same time (copy-on-write).
  std::unique_ptr<WorkerHandle> fork();

  RunResult run_until(uint64_t until, const replay::StopConditions& conditions,
                      uint64_t ignore_breakpoints_at);
  // Runs to `until` through every condition met on the way; the result
  // describes the last one (outcome Stopped, its time and thread), or
  // says Finished when there was none.  How reverse-continue finds where
  // to stop in an interval.
  RunResult last_hit(uint64_t until, const replay::StopConditions& conditions,
                     uint64_t ignore_breakpoints_at);
  WorkerState state();
  std::optional<VexGuestAMD64State> registers(uint32_t thread);
  bool read_memory(uint64_t address, void* out, uint64_t length);

  uint64_t time() const { return time_; }
  bool alive() const { return channel_ >= 0; }

 private:
  WorkerHandle(int channel, pid_t pid) : channel_(channel), pid_(pid) {}
  bool exchange(const class MessageWriter& request, std::vector<uint8_t>* reply);
  void lost();

  int channel_;
  pid_t pid_;
  uint64_t time_ = 0;
};

}  // namespace unstuck::target
