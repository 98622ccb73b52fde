#include "gdbstub/rsp/tests/fake_target.h"

#include <chrono>
#include <cstring>
#include <thread>

namespace unstuck::rsp::testing {

namespace {

using target::StopEvent;
using target::StopKind;

constexpr uint64_t kWorkerLoop = 0x402000;
constexpr uint64_t kWriteInstruction = FakeTarget::kLoopStart + 0xc;
constexpr uint64_t kReadInstruction = FakeTarget::kLoopStart + 0x14;
constexpr uint64_t kMainStack = 0x7fffffffe000, kWorkerStack = 0x7ffffffee000;
constexpr uint64_t kFsBase = 0x7ffff7d8a740;
constexpr uint8_t kNopl[4] = {0x0f, 0x1f, 0x40, 0x00};  // nopl 0x0(%rax)

struct Region {
  uint64_t start, end;
};
constexpr Region kCode{0x401000, 0x403000}, kData{0x601000, 0x602000},
    kStack{0x7ffffffdd000, 0x7ffffffff000};

bool readable(uint64_t address) {
  for (Region r : {kCode, kData, kStack}) {
    if (address >= r.start && address < r.end) return true;
  }
  return false;
}

uint64_t pc_of(uint32_t thread, uint64_t time) {
  uint64_t n = FakeTarget::instructions_before(thread, time);
  return thread == 1 ? FakeTarget::kLoopStart + 4 * (n % 8) : kWorkerLoop + 4 * (n % 4);
}

bool worker_alive(uint64_t time) { return time >= 30 && time < 70; }

enum class Access { None, Read, Write };

Access access_of_instruction(uint64_t time) {
  if (time >= FakeTarget::kEndTime || FakeTarget::thread_at(time) != 1) return Access::None;
  uint64_t pc = pc_of(1, time);
  if (pc == kWriteInstruction) return Access::Write;
  if (pc == kReadInstruction) return Access::Read;
  return Access::None;
}

bool triggers(target::WatchKind kind, Access access) {
  if (access == Access::None) return false;
  if (kind == target::WatchKind::Access) return true;
  return (kind == target::WatchKind::Write) == (access == Access::Write);
}

void set_main_thread_registers(VexGuestAMD64State& s, uint64_t time) {
  uint64_t n = FakeTarget::instructions_before(1, time);
  s.guest_RIP = pc_of(1, time);
  s.guest_RAX = n;
  s.guest_RBX = time;
  s.guest_RSP = s.guest_RBP = kMainStack;
  s.guest_FS_CONST = kFsBase;
  s.guest_CC_DEP1 = n % 8 == 0 ? 0x44 : 0;  // CC_OP is COPY: ZF and PF at each loop start
  double st0 = 1.5;                          // one value pushed on the x87 stack
  s.guest_FTOP = 7;
  s.guest_FPTAG[7] = 1;
  std::memcpy(&s.guest_FPREG[7], &st0, sizeof st0);
  for (unsigned i = 0; i < 8; ++i) s.guest_YMM1[i] = 0x11111111u * (i + 1);
}

void set_worker_registers(VexGuestAMD64State& s, uint64_t time) {
  s.guest_RIP = pc_of(2, time);
  s.guest_RAX = 1000 + FakeTarget::instructions_before(2, time);
  s.guest_RSP = s.guest_RBP = kWorkerStack;
}

}  // namespace

FakeTarget::FakeTarget() = default;

uint32_t FakeTarget::thread_at(uint64_t time) { return worker_alive(time) && time % 2 == 1 ? 2 : 1; }

uint64_t FakeTarget::instructions_before(uint32_t thread, uint64_t time) {
  uint64_t count = 0;
  for (uint64_t t = 0; t < time; ++t) count += thread_at(t) == thread;
  return count;
}

uint64_t FakeTarget::counter_at(uint64_t time) {
  uint64_t count = 0;
  for (uint64_t t = 0; t < time; ++t) count += access_of_instruction(t) == Access::Write;
  return count;
}

target::TraceSummary FakeTarget::summary() {
  target::TraceSummary s;
  s.folder = folder_;
  s.executable = executable_;
  s.working_directory = working_directory_;
  s.arguments = {"fake-program", "--fast"};
  s.start_time = 0;
  s.end_time = kEndTime;
  s.threads = 2;
  // AT_PAGESZ 4096, AT_NULL.
  const uint64_t auxv[] = {6, 4096, 0, 0};
  const auto* bytes = reinterpret_cast<const uint8_t*>(auxv);
  s.auxv.assign(bytes, bytes + sizeof auxv);
  return s;
}

std::vector<target::ThreadInfo> FakeTarget::threads() {
  std::vector<target::ThreadInfo> list{{1, "fake"}};
  if (worker_alive(time_)) list.push_back({2, "worker"});
  return list;
}

std::optional<VexGuestAMD64State> FakeTarget::registers(uint32_t thread) {
  if (thread != 1 && !(thread == 2 && worker_alive(time_))) return std::nullopt;
  VexGuestAMD64State s;
  LibVEX_GuestAMD64_initialise(&s);
  if (thread == 1) {
    set_main_thread_registers(s, time_);
  } else {
    set_worker_registers(s, time_);
  }
  return s;
}

bool FakeTarget::read_memory(uint64_t address, void* out, uint64_t length) {
  auto* bytes = static_cast<uint8_t*>(out);
  uint64_t counter = counter_at(time_);
  for (uint64_t i = 0; i < length; ++i) {
    uint64_t at = address + i;
    if (!readable(at)) return false;
    if (at >= kCode.start && at < kCode.end) {
      bytes[i] = kNopl[at % 4];
    } else if (at >= kCounterAddress && at < kCounterAddress + 8) {
      bytes[i] = static_cast<uint8_t>(counter >> (8 * (at - kCounterAddress)));
    } else {
      bytes[i] = 0;
    }
  }
  return true;
}

StopEvent FakeTarget::recorded_exit() {
  StopEvent exit;
  exit.kind = StopKind::Exited;
  exit.time = time_;
  exit.killed = exit_signal_ != 0;
  exit.signal = exit_signal_;
  exit.exit_status = exit.killed ? 0 : 3;
  return exit;
}

StopEvent FakeTarget::stop_here(StopKind kind) {
  StopEvent stop;
  stop.kind = kind;
  stop.thread = thread_at(time_);
  stop.time = time_;
  return stop;
}

std::optional<StopEvent> FakeTarget::watch_hit(uint64_t instruction_time,
                                               const target::StopConditions& conditions) {
  Access access = access_of_instruction(instruction_time);
  for (const auto& watch : conditions.watchpoints) {
    bool overlaps = watch.address < kCounterAddress + 8 && kCounterAddress < watch.address + watch.length;
    if (!overlaps || !triggers(watch.kind, access)) continue;
    StopEvent stop;
    stop.kind = StopKind::Watchpoint;
    stop.thread = 1;
    stop.watch_address = std::max(watch.address, kCounterAddress);
    stop.watch_kind = watch.kind;
    return stop;
  }
  return std::nullopt;
}

bool FakeTarget::at_breakpoint(uint64_t time, const target::StopConditions& conditions) {
  uint64_t pc = pc_of(thread_at(time), time);
  for (uint64_t address : conditions.breakpoints) {
    if (address == pc) return true;
  }
  return false;
}

StopEvent FakeTarget::resume(target::Direction direction, bool single_step, uint32_t thread,
                             const target::StopConditions& conditions) {
  ++resumes_;
  last_conditions_ = conditions;
  if (scripted_stop_) {
    StopEvent stop = std::move(*scripted_stop_);
    scripted_stop_.reset();
    return stop;
  }
  if (direction == target::Direction::Forward && time_ == kEndTime) return recorded_exit();
  if (single_step) return step(direction, thread, conditions);
  if (run_until_interrupted_) return wait_for_interrupt();
  return direction == target::Direction::Forward ? continue_forward(conditions)
                                                 : continue_backward(conditions);
}

// A step runs (or un-runs) the thread's next (previous) instruction; the
// other threads' instructions in between run as recorded.  A watched
// access by the stepped instruction is reported as a watchpoint stop.
StopEvent FakeTarget::step(target::Direction direction, uint32_t thread,
                           const target::StopConditions& conditions) {
  uint64_t t = time_;
  uint64_t instruction;
  if (direction == target::Direction::Forward) {
    while (t < kEndTime && thread_at(t) != thread) ++t;
    if (t == kEndTime) {
      time_ = kEndTime;
      return stop_here(StopKind::HistoryEnd);
    }
    instruction = t;
    time_ = t + 1;
  } else {
    while (t > 0 && thread_at(t - 1) != thread) --t;
    if (t == 0) {
      time_ = 0;
      return stop_here(StopKind::HistoryBegin);
    }
    instruction = time_ = t - 1;
  }
  StopEvent stop = stop_here(StopKind::Step);
  if (auto hit = watch_hit(instruction, conditions)) stop = *hit;
  stop.thread = thread;
  stop.time = time_;
  return stop;
}

StopEvent FakeTarget::continue_forward(const target::StopConditions& conditions) {
  while (true) {
    if (interrupted_.exchange(false)) return stop_here(StopKind::Interrupted);
    if (time_ == kEndTime) return stop_here(StopKind::HistoryEnd);
    uint64_t executed = time_++;
    if (auto hit = watch_hit(executed, conditions)) {
      hit->time = time_;
      return *hit;
    }
    if (at_breakpoint(time_, conditions)) return stop_here(StopKind::Breakpoint);
  }
}

StopEvent FakeTarget::continue_backward(const target::StopConditions& conditions) {
  while (true) {
    if (interrupted_.exchange(false)) return stop_here(StopKind::Interrupted);
    if (time_ == 0) return stop_here(StopKind::HistoryBegin);
    --time_;
    if (auto hit = watch_hit(time_, conditions)) {
      hit->time = time_;
      return *hit;
    }
    if (at_breakpoint(time_, conditions)) return stop_here(StopKind::Breakpoint);
  }
}

StopEvent FakeTarget::wait_for_interrupt() {
  run_until_interrupted_ = false;
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!interrupted_.exchange(false)) {
    if (std::chrono::steady_clock::now() > give_up) return stop_here(StopKind::Step);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return stop_here(StopKind::Interrupted);
}

StopEvent FakeTarget::go_to(uint64_t time) {
  time_ = std::min(time, kEndTime);
  return stop_here(StopKind::Step);
}

uint32_t FakeTarget::checkpoint() {
  uint32_t number = static_cast<uint32_t>(checkpoints_.size()) + 1;
  checkpoints_[number] = time_;
  return number;
}

std::optional<StopEvent> FakeTarget::restart(uint32_t checkpoint) {
  auto found = checkpoints_.find(checkpoint);
  if (found == checkpoints_.end()) return std::nullopt;
  return go_to(found->second);
}

}  // namespace unstuck::rsp::testing
