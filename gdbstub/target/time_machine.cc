#include "gdbstub/target/time_machine.h"

#include <algorithm>

namespace unstuck::target {

using replay::ReplayOutcome;

namespace {

constexpr uint64_t kNoIgnore = UINT64_MAX;

replay::Access access_of(WatchKind kind) {
  switch (kind) {
    case WatchKind::Write: return replay::Access::Write;
    case WatchKind::Read: return replay::Access::Read;
    case WatchKind::Access: return replay::Access::Either;
  }
  return replay::Access::Write;
}

WatchKind kind_of(replay::Access access) {
  switch (access) {
    case replay::Access::Write: return WatchKind::Write;
    case replay::Access::Read: return WatchKind::Read;
    case replay::Access::Either: return WatchKind::Access;
  }
  return WatchKind::Write;
}

}  // namespace

replay::StopConditions engine_conditions(const StopConditions& c) {
  replay::StopConditions out;
  out.breakpoints = c.breakpoints;
  for (const Watchpoint& w : c.watchpoints)
    out.watchpoints.push_back({w.address, w.length, access_of(w.kind)});
  return out;
}

std::unique_ptr<TimeMachine> TimeMachine::open(const std::string& folder,
                                               TimeMachineOptions options,
                                               std::string* error) {
  auto machine = std::unique_ptr<TimeMachine>(new TimeMachine());
  machine->options_ = options;
  machine->reader_ = trace::TraceReader::open(folder, error);
  if (!machine->reader_) return nullptr;
  machine->folder_ = machine->reader_->folder();
  if (!machine->schedule_.scan(*machine->reader_, error)) return nullptr;
  machine->active_ = WorkerHandle::start(machine->folder_, error);
  if (!machine->active_) return nullptr;
  machine->take_snapshot();  // the start of the history, never evicted
  return machine;
}

// ---- moving through time ------------------------------------------------

void TimeMachine::take_snapshot() {
  uint64_t t = active_->time();
  if (snapshots_.count(t)) return;
  if (auto copy = active_->fork()) snapshots_[t] = std::move(copy);
  evict_snapshots(t);
}

// Keeps the snapshots nearest to `now`; the start stays.
void TimeMachine::evict_snapshots(uint64_t now) {
  while (snapshots_.size() > options_.max_snapshots) {
    uint64_t worst = 0, worst_distance = 0;
    for (const auto& [t, w] : snapshots_) {
      if (t == schedule_.start()) continue;
      uint64_t distance = t > now ? t - now : now - t;
      if (distance >= worst_distance) worst = t, worst_distance = distance;
    }
    snapshots_.erase(worst);
  }
}

// The active worker is replaced by `next`, which is going to `destination`:
// after a long move the old state is kept as a snapshot, when none is there
// already, to come back to.  After a short one it is not: coming back is
// cheap from the snapshots behind it, and a trail of snapshots one step
// apart (reverse-stepi) would push those out (eviction keeps the nearest).
void TimeMachine::replace_active(std::unique_ptr<WorkerHandle> next, uint64_t destination) {
  uint64_t t = active_->time();
  uint64_t distance = t > destination ? t - destination : destination - t;
  if (distance > options_.near_snapshot_distance && !snapshots_.count(t) && active_->alive())
    snapshots_[t] = std::move(active_);
  active_ = std::move(next);
  evict_snapshots(destination);
}

WorkerHandle* TimeMachine::snapshot_before(uint64_t time, bool strictly) {
  if (strictly && time == 0) return nullptr;
  auto it = snapshots_.upper_bound(strictly ? time - 1 : time);
  if (it == snapshots_.begin()) return nullptr;
  return std::prev(it)->second.get();
}

// Runs the active worker forwards, leaving snapshots every interval.
RunResult TimeMachine::advance(uint64_t until, const replay::StopConditions& c,
                               uint64_t ignore_at) {
  RunResult r;
  r.outcome = ReplayOutcome::Finished;
  r.time = active_->time();
  while (active_->time() < until) {
    uint64_t interval = options_.snapshot_interval;
    uint64_t boundary = (active_->time() / interval + 1) * interval;
    r = active_->run_until(std::min(until, boundary), c, ignore_at);
    if (r.outcome != ReplayOutcome::Finished || r.at_end) return r;
    if (active_->time() == boundary) take_snapshot();
    if (interrupt_) break;
  }
  return r;
}

bool TimeMachine::move_to(uint64_t time, std::string* error) {
  time = std::clamp(time, schedule_.start(), schedule_.end());
  uint64_t now = active_->time();
  WorkerHandle* from = snapshot_before(time, /*strictly=*/false);
  bool forward_is_near = now <= time && (from == nullptr || from->time() <= now);
  if (!forward_is_near) {
    auto next = from->fork();
    if (!next) {
      *error = "cannot fork a replay worker";
      return false;
    }
    replace_active(std::move(next), time);
  }
  // A snapshot just behind the destination keeps later steps back cheap.
  uint64_t gap = time - active_->time();
  if (gap > options_.step_snapshot_distance) {
    uint64_t back = std::min(options_.near_snapshot_distance, gap / 2);
    RunResult near = advance(time - back, {}, kNoIgnore);
    if (near.outcome != ReplayOutcome::Finished) {
      *error = near.message;
      return false;
    }
    take_snapshot();
  }
  RunResult r = advance(time, {}, kNoIgnore);
  if (r.outcome != ReplayOutcome::Finished) {
    *error = r.message;
    return false;
  }
  return true;
}

// ---- stops ----------------------------------------------------------------

StopEvent TimeMachine::stop_here(StopKind kind, uint32_t thread) {
  StopEvent e;
  e.kind = kind;
  e.time = active_->time();
  e.thread = thread != 0 ? thread : current_thread();
  return e;
}

StopEvent TimeMachine::error_stop(const std::string& message) {
  StopEvent e = stop_here(StopKind::Error, 0);
  e.message = message;
  return e;
}

StopEvent TimeMachine::stop_for_hit(const RunResult& r) {
  if (r.hit.kind == replay::ConditionHit::Kind::Breakpoint)
    return stop_here(StopKind::Breakpoint, r.thread);
  // A watchpoint stops after the instruction that accessed the range: the
  // thread that ran it is the one that ran just before.
  StopEvent e = stop_here(StopKind::Watchpoint, schedule_.runner_at(r.time - 1));
  e.watch_address = r.hit.address;
  e.watch_kind = kind_of(r.hit.access);
  return e;
}

StopEvent TimeMachine::continue_forward(const replay::StopConditions& c) {
  if (active_->time() >= schedule_.end()) {
    if (reported_end_) {
      StopEvent e = stop_here(StopKind::Exited, 0);
      e.exit_status = schedule_.exit_status();
      e.killed = schedule_.killed();
      return e;
    }
    reported_end_ = true;
    return stop_here(StopKind::HistoryEnd, 0);
  }
  RunResult r = advance(schedule_.end(), c, active_->time());
  switch (r.outcome) {
    case ReplayOutcome::Stopped: return stop_for_hit(r);
    case ReplayOutcome::Diverged:
    case ReplayOutcome::TraceError: return error_stop(r.message);
    case ReplayOutcome::Finished: break;
  }
  if (interrupt_ && active_->time() < schedule_.end())
    return stop_here(StopKind::Interrupted, 0);
  reported_end_ = true;
  return stop_here(StopKind::HistoryEnd, 0);
}

StopEvent TimeMachine::continue_backward(const replay::StopConditions& c) {
  uint64_t target = active_->time();
  std::string error;
  while (!c.empty()) {
    WorkerHandle* from = snapshot_before(target, /*strictly=*/true);
    if (from == nullptr) break;
    auto scout = from->fork();
    if (!scout) return error_stop("cannot fork a replay worker");
    // Replay the interval with the conditions on; the last hit wins.  The
    // scout runs through the hits itself: a breakpoint in a loop may be hit
    // millions of times.  No hit is at `target` itself (a run stops there
    // first), so each one is before it.
    RunResult last = scout->last_hit(target, c, kNoIgnore);
    if (last.outcome == ReplayOutcome::Diverged || last.outcome == ReplayOutcome::TraceError)
      return error_stop(last.message);
    if (interrupt_) return stop_here(StopKind::Interrupted, 0);
    if (last.outcome == ReplayOutcome::Stopped) {
      // Backwards, a watchpoint stops before the accessing instruction.
      const bool breakpoint = last.hit.kind == replay::ConditionHit::Kind::Breakpoint;
      const uint64_t stop_time = breakpoint ? last.time : last.time - 1;
      if (!move_to(stop_time, &error)) return error_stop(error);
      StopEvent e = stop_for_hit(last);
      e.time = stop_time;
      e.thread = breakpoint ? last.thread : schedule_.runner_at(stop_time);
      return e;
    }
    target = from->time();
    if (target <= schedule_.start()) break;
  }
  if (!move_to(schedule_.start(), &error)) return error_stop(error);
  return stop_here(StopKind::HistoryBegin, 0);
}

StopEvent TimeMachine::step_forward(uint32_t thread, const replay::StopConditions& c) {
  std::optional<uint64_t> t = schedule_.next_run_of(thread, active_->time());
  if (!t) return continue_forward(c);
  RunResult r = advance(*t + 1, c, active_->time());
  if (r.outcome == ReplayOutcome::Stopped && r.time < *t + 1) return stop_for_hit(r);
  if (r.outcome == ReplayOutcome::Diverged || r.outcome == ReplayOutcome::TraceError)
    return error_stop(r.message);
  if (r.outcome == ReplayOutcome::Stopped) return stop_for_hit(r);
  return stop_here(StopKind::Step, thread);
}

StopEvent TimeMachine::step_backward(uint32_t thread) {
  std::string error;
  std::optional<uint64_t> t = schedule_.previous_run_of(thread, active_->time());
  if (!t) {
    if (!move_to(schedule_.start(), &error)) return error_stop(error);
    return stop_here(StopKind::HistoryBegin, 0);
  }
  if (!move_to(*t, &error)) return error_stop(error);
  return stop_here(StopKind::Step, thread);
}

// ---- ReplayTarget ---------------------------------------------------------

StopEvent TimeMachine::resume(Direction direction, bool single_step, uint32_t thread,
                              const StopConditions& conditions) {
  // An interrupt that came before this resume still counts (the client may
  // send Ctrl-C just as it resumes); it is used up when the resume returns.
  struct ClearInterrupt {
    std::atomic<bool>& flag;
    ~ClearInterrupt() { flag = false; }
  } clear{interrupt_};
  replay::StopConditions c = engine_conditions(conditions);
  if (thread == 0) thread = current_thread();
  if (direction == Direction::Backward) reported_end_ = false;
  if (single_step)
    return direction == Direction::Forward ? step_forward(thread, c) : step_backward(thread);
  return direction == Direction::Forward ? continue_forward(c) : continue_backward(c);
}

StopEvent TimeMachine::go_to(uint64_t time) {
  std::string error;
  reported_end_ = false;
  if (!move_to(time, &error)) return error_stop(error);
  return stop_here(StopKind::Step, 0);
}

uint32_t TimeMachine::current_thread() {
  uint64_t now = active_->time();
  uint32_t t = schedule_.runner_at(now < schedule_.end() ? now : schedule_.end() - 1);
  return t != 0 ? t : 1;
}

std::vector<ThreadInfo> TimeMachine::threads() {
  std::vector<ThreadInfo> out;
  std::vector<uint32_t> alive = schedule_.alive_at(active_->time());
  // At the very end every thread has exited; the last one stays visible.
  if (alive.empty()) alive.push_back(current_thread());
  for (uint32_t n : alive) out.push_back({n, schedule_.name_at(n, active_->time())});
  return out;
}

std::optional<VexGuestAMD64State> TimeMachine::registers(uint32_t thread) {
  return active_->registers(thread);
}

bool TimeMachine::read_memory(uint64_t address, void* out, uint64_t length) {
  return active_->read_memory(address, out, length);
}

TraceSummary TimeMachine::summary() {
  TraceSummary s;
  const trace::TraceHeader& h = reader_->header();
  s.folder = folder_;
  s.executable = h.executable;
  s.working_directory = h.working_directory;
  s.arguments = h.arguments;
  s.start_time = schedule_.start();
  s.end_time = schedule_.end();
  s.threads = schedule_.thread_count();
  s.auxv = h.auxv;
  return s;
}

uint32_t TimeMachine::checkpoint() {
  auto copy = active_->fork();
  if (!copy) return 0;
  checkpoints_.push_back(std::move(copy));
  return static_cast<uint32_t>(checkpoints_.size());
}

std::optional<StopEvent> TimeMachine::restart(uint32_t checkpoint) {
  if (checkpoint == 0 || checkpoint > checkpoints_.size() || !checkpoints_[checkpoint - 1])
    return std::nullopt;
  auto next = checkpoints_[checkpoint - 1]->fork();
  if (!next) return error_stop("cannot fork a replay worker");
  uint64_t destination = next->time();
  replace_active(std::move(next), destination);
  reported_end_ = false;
  return stop_here(StopKind::Step, 0);
}

}  // namespace unstuck::target
