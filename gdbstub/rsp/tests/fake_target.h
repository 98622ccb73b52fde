// A tiny deterministic "recording" for the protocol tests: two threads
// running loops of 4-byte `nopl 0x0(%rax)` instructions, whose registers
// and one memory word change with time.
//
//   times 0..100 (kEndTime); thread 1 ("fake") runs every instruction
//   except that from time 30 to 69 thread 2 ("worker") runs the odd times.
//   thread 1: rip = 0x401000 + 4 * (n % 8), rax = n, rbx = time, where n
//             is how many instructions thread 1 has run; its instruction
//             at 0x40100c increments the 8-byte counter at 0x601000, the
//             one at 0x401014 reads it.  st0 = 1.5, xmm1/ymm1 hold a
//             pattern, fs_base = 0x7ffff7d8a740.
//   thread 2: rip = 0x402000 + 4 * (m % 4), rax = 1000 + m.
//   Readable memory: code 0x401000-0x403000, data 0x601000-0x602000,
//   stacks 0x7ffffffdd000-0x7ffffffff000.
//
// Forward stops come after a watched access; backward stops come before
// it (the state in which the accessing instruction is next), as GDB
// expects.  Running forward from the end reports the recorded exit
// (status 3).
#pragma once

#include <atomic>
#include <map>

#include "gdbstub/target/replay_target.h"

namespace unstuck::rsp::testing {

class FakeTarget : public target::ReplayTarget {
 public:
  static constexpr uint64_t kEndTime = 100;
  static constexpr uint64_t kCounterAddress = 0x601000;
  static constexpr uint64_t kLoopStart = 0x401000;

  FakeTarget();

  target::TraceSummary summary() override;
  uint64_t time() override { return time_; }
  uint32_t current_thread() override { return thread_at(time_); }
  std::vector<target::ThreadInfo> threads() override;
  std::optional<VexGuestAMD64State> registers(uint32_t thread) override;
  bool read_memory(uint64_t address, void* out, uint64_t length) override;
  target::StopEvent resume(target::Direction direction, bool single_step, uint32_t thread,
                           const target::StopConditions& conditions) override;
  void interrupt() override { interrupted_ = true; }
  target::StopEvent go_to(uint64_t time) override;
  uint32_t checkpoint() override;
  std::optional<target::StopEvent> restart(uint32_t checkpoint) override;

  // Test knobs.
  void set_executable(std::string path) { executable_ = std::move(path); }
  void set_folder(std::string folder) { folder_ = std::move(folder); }
  void set_working_directory(std::string folder) { working_directory_ = std::move(folder); }
  // Makes the next continue run until interrupt() is called (Ctrl-C tests).
  void run_until_interrupted() { run_until_interrupted_ = true; }
  // Makes the next resume return `stop` without moving (signals, errors).
  void script_next_stop(target::StopEvent stop) { scripted_stop_ = std::move(stop); }
  // The recorded process ends by this signal instead of exit status 3.
  void set_exit_signal(int signal) { exit_signal_ = signal; }
  int resumes() const { return resumes_; }
  const target::StopConditions& last_conditions() const { return last_conditions_; }

  // The model, also used by tests to compute expectations.
  static uint32_t thread_at(uint64_t time);
  static uint64_t instructions_before(uint32_t thread, uint64_t time);
  static uint64_t counter_at(uint64_t time);

 private:
  target::StopEvent stop_here(target::StopKind kind);
  target::StopEvent recorded_exit();
  target::StopEvent step(target::Direction direction, uint32_t thread,
                         const target::StopConditions& conditions);
  target::StopEvent continue_forward(const target::StopConditions& conditions);
  target::StopEvent continue_backward(const target::StopConditions& conditions);
  target::StopEvent wait_for_interrupt();
  std::optional<target::StopEvent> watch_hit(uint64_t instruction_time,
                                             const target::StopConditions& conditions);
  bool at_breakpoint(uint64_t time, const target::StopConditions& conditions);

  uint64_t time_ = 0;
  std::string executable_;
  std::string folder_ = "/fake/trace";
  std::string working_directory_;
  std::map<uint32_t, uint64_t> checkpoints_;
  std::atomic<bool> interrupted_{false};
  bool run_until_interrupted_ = false;
  std::optional<target::StopEvent> scripted_stop_;
  int exit_signal_ = 0;
  int resumes_ = 0;
  target::StopConditions last_conditions_;
};

}  // namespace unstuck::rsp::testing
