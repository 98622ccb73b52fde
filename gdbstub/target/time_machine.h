// The time machine: a ReplayTarget over the replay engine.
//
// One worker process replays the trace (the active one); snapshots are
// copies of it, forked at times along the way and left waiting.  Going to
// any time forks the nearest snapshot at or before it and replays forward
// from there, so no move costs more than one snapshot interval of
// re-execution.  Running backwards is the same, as rr does it: replay
// forward from the snapshot before the current time with the breakpoints
// and watchpoints on, remember the last hit, and go there; try the interval
// before when there was none.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gdbstub/target/replay_target.h"
#include "gdbstub/target/schedule.h"
#include "gdbstub/target/worker_handle.h"
#include "shared/trace/trace_reader.h"

namespace unstuck::target {

struct TimeMachineOptions {
  // Instructions between snapshots taken while replaying forwards.
  uint64_t snapshot_interval = 25'000'000;
  // After a long move to a time T, a snapshot is also left this far before
  // T, so that stepping backwards from T stays cheap; after a shorter move
  // of more than step_snapshot_distance, halfway.  Stepping back one
  // instruction at a time thus replays less and less, down to at most
  // step_snapshot_distance instructions per step, from a snapshot whose
  // translations are warm.
  uint64_t near_snapshot_distance = 500'000;
  uint64_t step_snapshot_distance = 1'000;
  size_t max_snapshots = 64;
};

class TimeMachine final : public ReplayTarget {
 public:
  static std::unique_ptr<TimeMachine> open(const std::string& trace_folder,
                                           TimeMachineOptions options,
                                           std::string* error);

  TraceSummary summary() override;
  uint64_t time() override { return active_->time(); }
  uint32_t current_thread() override;
  std::vector<ThreadInfo> threads() override;
  std::optional<VexGuestAMD64State> registers(uint32_t thread) override;
  bool read_memory(uint64_t address, void* out, uint64_t length) override;
  StopEvent resume(Direction direction, bool single_step, uint32_t thread,
                   const StopConditions& conditions) override;
  void interrupt() override { interrupt_ = true; }
  StopEvent go_to(uint64_t time) override;
  uint32_t checkpoint() override;
  std::optional<StopEvent> restart(uint32_t checkpoint) override;

  size_t snapshot_count() const { return snapshots_.size(); }

 private:
  TimeMachine() = default;

  RunResult advance(uint64_t until, const replay::StopConditions& c, uint64_t ignore_at);
  bool move_to(uint64_t time, std::string* error);
  void take_snapshot();
  void replace_active(std::unique_ptr<WorkerHandle> next, uint64_t destination);
  void evict_snapshots(uint64_t now);
  WorkerHandle* snapshot_before(uint64_t time, bool strictly);

  StopEvent continue_forward(const replay::StopConditions& c);
  StopEvent continue_backward(const replay::StopConditions& c);
  StopEvent step_forward(uint32_t thread, const replay::StopConditions& c);
  StopEvent step_backward(uint32_t thread);
  StopEvent stop_here(StopKind kind, uint32_t thread);
  StopEvent stop_for_hit(const RunResult& r);
  StopEvent error_stop(const std::string& message);

  std::unique_ptr<trace::TraceReader> reader_;
  std::string folder_;
  Schedule schedule_;
  TimeMachineOptions options_;
  std::unique_ptr<WorkerHandle> active_;
  std::map<uint64_t, std::unique_ptr<WorkerHandle>> snapshots_;
  std::vector<std::unique_ptr<WorkerHandle>> checkpoints_;
  std::atomic<bool> interrupt_{false};
  bool reported_end_ = false;
};

replay::StopConditions engine_conditions(const StopConditions& c);

}  // namespace unstuck::target
