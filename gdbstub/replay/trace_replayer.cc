#include "gdbstub/replay/trace_replayer.h"

#include <algorithm>
#include <cstring>

#include "gdbstub/replay/guest_registers.h"
#include "gdbstub/replay/vex_config.h"

namespace unstuck::replay {

using trace::AnyEvent;
using trace::EventKind;

namespace {

VexConfig config_of(const trace::TraceHeader& h) {
  return VexConfig{h.arch_info, h.abi_info, h.vex_control};
}

// guest_CMSTART/CMLEN ask the core to drop translations of a range.  Valgrind
// writes them itself in its self-modifying-code checks (--smc-check), which
// the replay does not need (it write-protects translated code instead): they
// are not the program's state, and differ.
bool is_invalidation_request(uint32_t word) {
  size_t offset = size_t{word} * 8;
  return offset == offsetof(VexGuestAMD64State, guest_CMSTART) ||
         offset == offsetof(VexGuestAMD64State, guest_CMLEN);
}

// Stops after which Valgrind's core goes on without anything to record
// unless a register changed (then a Registers event says so).
bool is_silent(StopReason reason) {
  return reason == StopReason::Yield || reason == StopReason::EmWarn ||
         reason == StopReason::ClientRequest;
}

}  // namespace

TraceReplayer::TraceReplayer(const trace::TraceReader& reader)
    : reader_(reader),
      stream_(reader),
      memory_(std::make_unique<GuestMemory>()),
      executor_(std::make_unique<Executor>(config_of(reader.header()), *memory_,
                                           nondet_)),
      next_(std::make_unique<AnyEvent>()) {
  executor_->set_time(reader.header().start_time);
}

TraceReplayer::Words& TraceReplayer::state_of(uint32_t thread) {
  auto it = threads_.find(thread);
  if (it == threads_.end()) it = threads_.emplace(thread, Words{}).first;
  return it->second;
}

VexGuestAMD64State& TraceReplayer::guest_state_of(uint32_t thread) {
  static_assert(sizeof(Words) == sizeof(VexGuestAMD64State));
  return *reinterpret_cast<VexGuestAMD64State*>(state_of(thread).data());
}

bool TraceReplayer::trace_error(const std::string& what) {
  error_ = what;
  return false;
}

bool TraceReplayer::diverge(const std::string& what) {
  divergence_.what = what;
  divergence_.time = time();
  divergence_.thread = running_;
  divergence_.pc = running_ ? guest_state_of(running_).guest_RIP : 0;
  return false;
}

bool TraceReplayer::peek() {
  if (have_next_) return true;
  if (at_end_) return false;
  trace::EventKind kind;
  uint64_t time;
  trace::EventDecoder* fields;
  while (stream_.next(&kind, &time, &fields)) {
    if (!trace::read_event(kind, *fields, next_.get()))
      return trace_error(std::string("corrupt ") + trace::kind_name(kind) +
                         " event at time " + std::to_string(time));
    next_->time = time;
    ++stats_.events;
    // Results consumed inside guest code, in order: queued, not applied.
    if (kind == EventKind::Nondet) {
      nondet_.push(next_->nondet);
      ++stats_.nondet;
      continue;
    }
    have_next_ = true;
    return true;
  }
  if (!stream_.error().empty()) return trace_error(stream_.error());
  at_end_ = true;
  return false;
}

bool TraceReplayer::run_to(uint64_t deadline) {
  while (time() < deadline) {
    if (running_ == 0)
      return trace_error("no thread runs before time " + std::to_string(deadline));
    last_stop_ = executor_->run(guest_state_of(running_), deadline);
    last_stop_time_ = time();
    if (!nondet_.mismatch().empty()) return diverge(nondet_.mismatch());
    if (last_stop_.reason == StopReason::ReachedDeadline) continue;
    if (is_silent(last_stop_.reason)) continue;
    if (!report_stop_before(deadline)) return false;
  }
  return true;
}

// A stop that the recording has no event for is a divergence, unless it is
// at the deadline, where an event expects it (expect_stop).
bool TraceReplayer::report_stop_before(uint64_t deadline) {
  if (time() >= deadline) return true;
  return diverge(std::string("the replay stopped (") +
                 stop_reason_name(last_stop_.reason) + ") at time " +
                 std::to_string(time()) +
                 " where the recording ran on to its next event at time " +
                 std::to_string(deadline));
}

// Like run_to, but a condition the engine meets on the way ends the run
// early (hit_ says which).  After a silent stop the engine runs again even
// at the deadline: a watchpoint hit by that very instruction is reported by
// the next run, before the events at that time are applied.
bool TraceReplayer::run_to_condition(uint64_t deadline) {
  for (;;) {
    if (running_ == 0)
      return trace_error("no thread runs before time " + std::to_string(deadline));
    last_stop_ = executor_->run(guest_state_of(running_), deadline);
    last_stop_time_ = time();
    if (!nondet_.mismatch().empty()) return diverge(nondet_.mismatch());
    switch (last_stop_.reason) {
      case StopReason::Breakpoint:
      case StopReason::Watchpoint:
        hit_ = last_stop_.hit;
        return true;
      case StopReason::ReachedDeadline:
        return true;
      default:
        break;
    }
    if (!is_silent(last_stop_.reason)) return report_stop_before(deadline);
  }
}

bool TraceReplayer::expect_stop(uint64_t at, StopReason reason, const char* what) {
  if (last_stop_time_ == at && last_stop_.reason == reason) return true;
  return diverge(std::string("the recording made ") + what + " at time " +
                 std::to_string(at) + "; the replay did not (it stopped: " +
                 stop_reason_name(last_stop_.reason) + ")");
}

bool TraceReplayer::check_digest(const AnyEvent& e) {
  ++stats_.digests;
  const trace::RegistersRecord& r = e.registers;
  auto it = digests_.find(r.thread);
  if (it == digests_.end()) it = digests_.emplace(r.thread, Words{}).first;
  Words& recorded = it->second;
  if (!r.apply(recorded.data(), kWords))
    return trace_error("corrupt digest at time " + std::to_string(e.time));
  const Words& replayed = state_of(r.thread);
  std::vector<RegisterDifference> differences;
  for (uint32_t w = trace::kFirstGuestWord; w < kWords; ++w)
    if (recorded[w] != replayed[w] && !is_invalidation_request(w))
      differences.push_back({guest_word_name(w), recorded[w], replayed[w]});
  if (differences.empty()) return true;
  uint32_t thread = running_;
  running_ = r.thread;
  diverge("the registers of thread " + std::to_string(r.thread) +
          " differ from the recording");
  running_ = thread;
  divergence_.registers = std::move(differences);
  return false;
}

// The address space as the trace describes it: which guest ranges hold
// memory (for a debugger's reads; replayed code may touch any address).
void TraceReplayer::note_mapping(uint64_t address, uint64_t length, bool mapped) {
  uint64_t start = address, end = address + length;
  auto it = mapped_.upper_bound(start);
  if (it != mapped_.begin()) --it;
  while (it != mapped_.end() && it->first < end) {
    uint64_t s = it->first, e = it->second;
    if (e <= start) { ++it; continue; }
    it = mapped_.erase(it);
    if (s < start) mapped_[s] = start;
    if (e > end) mapped_[end] = e;
  }
  if (!mapped) return;
  // Merge with the neighbours so that lookups see whole runs.
  auto next = mapped_.lower_bound(end);
  if (next != mapped_.end() && next->first == end) {
    end = next->second;
    mapped_.erase(next);
  }
  auto prev = mapped_.lower_bound(start);
  if (prev != mapped_.begin() && std::prev(prev)->second == start) {
    --prev;
    start = prev->first;
    mapped_.erase(prev);
  }
  mapped_[start] = end;
}

bool TraceReplayer::is_mapped(uint64_t address, uint64_t length) const {
  auto it = mapped_.upper_bound(address);
  if (it == mapped_.begin()) return false;
  --it;
  return it->first <= address && address + length <= it->second;
}

bool TraceReplayer::apply_memory(const AnyEvent& e) {
  bool ok = true;
  switch (e.kind) {
    case EventKind::Map:  // a new mapping starts as zeros (file contents follow)
      ok = memory_->zero(e.map.address, e.map.length);
      note_mapping(e.map.address, e.map.length, true);
      break;
    case EventKind::Unmap:
      note_mapping(e.range.address, e.range.length, false);
      [[fallthrough]];
    case EventKind::Zero:
      ok = memory_->zero(e.range.address, e.range.length);
      break;
    case EventKind::Remap: {
      note_mapping(e.remap.to, e.remap.length, true);
      std::vector<uint8_t> buffer(std::min<uint64_t>(e.remap.length, 1 << 20));
      for (uint64_t done = 0; ok && done < e.remap.length; done += buffer.size()) {
        uint64_t n = std::min<uint64_t>(buffer.size(), e.remap.length - done);
        ok = memory_->read(e.remap.from + done, buffer.data(), n) &&
             memory_->write(e.remap.to + done, buffer.data(), n);
      }
      break;
    }
    case EventKind::Bytes:
      ok = memory_->write(e.bytes.address, e.bytes.data.data, e.bytes.data.size);
      stats_.memory_bytes += e.bytes.data.size;
      break;
    case EventKind::Blob: {
      std::string error;
      auto blob = reader_.read_blob(e.blob.hash, &error);
      if (!blob) return trace_error(error);
      if (blob->size() != e.blob.length)
        return trace_error("blob of the wrong size at time " + std::to_string(e.time));
      ok = memory_->write(e.blob.address, blob->data(), blob->size());
      stats_.memory_bytes += blob->size();
      break;
    }
    default:
      break;
  }
  if (!ok)
    return trace_error("the trace writes memory outside the replayable window at time " +
                       std::to_string(e.time));
  return true;
}

bool TraceReplayer::apply(const AnyEvent& e) {
  switch (e.kind) {
    case EventKind::Map: case EventKind::Unmap: case EventKind::Zero:
    case EventKind::Remap: case EventKind::Bytes: case EventKind::Blob:
      return apply_memory(e);
    case EventKind::Protect:
      return true;  // replayed memory is always accessible
    case EventKind::Registers:
      if (!e.registers.apply(state_of(e.registers.thread).data(), kWords))
        return trace_error("corrupt registers at time " + std::to_string(e.time));
      return true;
    case EventKind::Digest:
      return check_digest(e);
    case EventKind::Switch:
      if (e.thread.thread != running_) executor_->drop_pending_no_redirect();
      running_ = e.thread.thread;
      return true;
    case EventKind::ThreadStart:
      state_of(e.thread.thread);
      exited_.erase(e.thread.thread);
      return true;
    case EventKind::ThreadExit:
      // The registers stay readable (a debugger at the very end still shows
      // the last thread); the thread is no longer live.
      exited_.insert(e.thread.thread);
      digests_.erase(e.thread.thread);
      return true;
    case EventKind::SyscallEnter:
      ++stats_.syscalls;
      return expect_stop(e.time, StopReason::Syscall, "a system call");
    case EventKind::Signal:
      ++stats_.signals;
      return true;
    case EventKind::Redirect:
      executor_->add_redirect(e.redirect.from, e.redirect.to,
                              e.redirect.wrap ? RedirectKind::Wrap : RedirectKind::Replace);
      return true;
    case EventKind::Exec:
      ending_ = "exec of " + std::string(reinterpret_cast<const char*>(e.text.text.data),
                                         e.text.text.size);
      return true;
    case EventKind::Exit:
      ending_ = e.exit.kind == trace::ExitKind::Exited
                    ? "exit status " + std::to_string(e.exit.value)
                    : "end without exit (killed by a signal)";
      return true;
    case EventKind::SyscallExit: case EventKind::Warning: case EventKind::Fork:
    case EventKind::ThreadName:
    case EventKind::Nondet:
      return true;
  }
  return trace_error("unknown event kind at time " + std::to_string(e.time));
}

std::vector<uint32_t> TraceReplayer::live_threads() const {
  std::vector<uint32_t> numbers;
  for (const auto& [number, state] : threads_)
    if (!exited_.count(number)) numbers.push_back(number);
  return numbers;
}

const VexGuestAMD64State* TraceReplayer::registers(uint32_t thread) const {
  auto it = threads_.find(thread);
  if (it == threads_.end()) return nullptr;
  return reinterpret_cast<const VexGuestAMD64State*>(it->second.data());
}

bool TraceReplayer::apply_events_now() {
  while (peek() && next_->time == time()) {
    if (!apply(*next_)) return false;
    have_next_ = false;
  }
  return error_.empty();
}

// One instruction, comparing the watched bytes before and after.  A write
// that stores the value already there is not seen: this is the portable
// path, until the engine checks accesses itself.
bool TraceReplayer::step_with_watch(const StopConditions& c) {
  std::vector<std::vector<uint8_t>> before;
  for (const WatchRange& w : c.watchpoints) {
    before.emplace_back(w.length);
    if (!memory_->read(w.address, before.back().data(), w.length)) before.back().clear();
  }
  if (!run_to(time() + 1)) return false;
  std::vector<uint8_t> after;
  for (size_t i = 0; i < c.watchpoints.size(); ++i) {
    const WatchRange& w = c.watchpoints[i];
    if (before[i].empty() || w.access == Access::Read) continue;
    after.resize(w.length);
    if (!memory_->read(w.address, after.data(), w.length)) continue;
    for (uint64_t k = 0; k < w.length; ++k)
      if (after[k] != before[i][k]) {
        hit_ = ConditionHit{ConditionHit::Kind::Watchpoint, w.address + k, Access::Write};
        return true;
      }
  }
  return true;
}

ReplayOutcome TraceReplayer::failure() const {
  return error_.empty() ? ReplayOutcome::Diverged : ReplayOutcome::TraceError;
}

ReplayOutcome TraceReplayer::run_stepping(uint64_t until, const StopConditions& c,
                                          uint64_t ignore_breakpoints_at) {
  executor_->set_stop_conditions({});
  while (true) {
    if (!apply_events_now()) return failure();
    if (time() >= until || (!have_next_ && at_end_)) return ReplayOutcome::Finished;
    if (running_ != 0 && time() != ignore_breakpoints_at) {
      uint64_t pc = guest_state_of(running_).guest_RIP;
      for (uint64_t b : c.breakpoints)
        if (b == pc) {
          hit_ = ConditionHit{ConditionHit::Kind::Breakpoint, pc, Access::Write};
          return ReplayOutcome::Stopped;
        }
    }
    if (!step_with_watch(c)) return failure();
    if (hit_.kind != ConditionHit::Kind::None) return ReplayOutcome::Stopped;
  }
}

// From one event time to the next, the engine runs with the conditions on;
// the events of each time are applied before the next instruction runs.
ReplayOutcome TraceReplayer::run_until(uint64_t until, const StopConditions& c,
                                       uint64_t ignore_breakpoints_at) {
  hit_ = ConditionHit{};
  if (c.empty()) return run_until(until);
  if (stepping_oracle_) return run_stepping(until, c, ignore_breakpoints_at);
  executor_->set_stop_conditions(c);
  executor_->skip_breakpoints_at(ignore_breakpoints_at);
  while (true) {
    if (!apply_events_now()) return failure();
    if (time() >= until || (!have_next_ && at_end_)) return ReplayOutcome::Finished;
    if (have_next_ && next_->time < time()) {
      trace_error("the trace goes back in time at " + std::to_string(next_->time));
      return ReplayOutcome::TraceError;
    }
    uint64_t deadline = have_next_ ? std::min(until, next_->time) : until;
    if (!run_to_condition(deadline)) return failure();
    if (hit_.kind != ConditionHit::Kind::None) return ReplayOutcome::Stopped;
  }
}

ReplayOutcome TraceReplayer::run_until(uint64_t until) {
  executor_->set_stop_conditions({});
  auto outcome = [&] { return failure(); };
  while (true) {
    if (!peek()) {
      if (!error_.empty()) return ReplayOutcome::TraceError;
      return ReplayOutcome::Finished;  // the end of the trace
    }
    if (next_->time > until) {
      if (!run_to(until)) return outcome();
      return ReplayOutcome::Finished;
    }
    if (next_->time < time()) {
      trace_error("the trace goes back in time at " + std::to_string(next_->time));
      return ReplayOutcome::TraceError;
    }
    if (!run_to(next_->time) || !apply(*next_)) return outcome();
    have_next_ = false;
  }
}

}  // namespace unstuck::replay
