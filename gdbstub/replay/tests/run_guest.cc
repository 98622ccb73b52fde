// run-guest: executes a static, no-libc test program with the replay engine
// alone (no trace, no Valgrind), emulating three system calls: write (to
// this process's stdout/stderr), exit and exit_group.  At the end it prints,
// on stderr and in the record tool's format,
//
//     Guest instructions: N
//
// which must equal `valgrind --tool=record --count-only=yes PROG`'s count.
//
//   run-guest [--step=N] [--no-chain] [--stats] PROG [ARGS...]
//
// --step=N stops the engine every N instructions (checking that it stops
// exactly there) and resumes: the output and the count must not change.
// --no-chain runs every block from the C++ loop.  --stats adds the engine's
// counters and the speed.
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gdbstub/replay/executor.h"
#include "gdbstub/replay/tests/elf_loader.h"

extern "C" {
#include "libvex_trc_values.h"
}

namespace {

using namespace unstuck::replay;

struct Options {
  uint64_t step = 0;
  bool chaining = true;
  bool stats = false;
  std::vector<std::string> argv;  // the program and its arguments
};

[[noreturn]] void usage() {
  std::fputs("usage: run-guest [--step=N] [--no-chain] [--stats] PROG "
             "[ARGS...]\n",
             stderr);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    if (std::strncmp(argv[i], "--step=", 7) == 0)
      o.step = std::strtoull(argv[i] + 7, nullptr, 10);
    else if (std::strcmp(argv[i], "--no-chain") == 0)
      o.chaining = false;
    else if (std::strcmp(argv[i], "--stats") == 0)
      o.stats = true;
    else
      usage();
  }
  if (i == argc) usage();
  o.argv.assign(argv + i, argv + argc);
  return o;
}

// 1234567 -> "1,234,567", as Valgrind's %'llu prints it.
std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

[[noreturn]] void die(const char* what, uint64_t value) {
  std::fprintf(stderr, "run-guest: %s %#" PRIx64 "\n", what, value);
  std::exit(2);
}

int64_t guest_write(GuestMemory& memory, uint64_t fd, uint64_t buf,
                    uint64_t count) {
  if (fd != 1 && fd != 2) return -9;  // EBADF
  std::vector<char> bytes(count);
  if (!memory.read(buf, bytes.data(), count)) return -14;  // EFAULT
  std::fflush(fd == 1 ? stdout : stderr);
  ssize_t n = ::write(static_cast<int>(fd), bytes.data(), count);
  return n < 0 ? -5 : n;  // EIO
}

// Returns true when the guest exited, with its status in *status.
bool do_syscall(GuestMemory& memory, VexGuestAMD64State& st, int* status) {
  switch (st.guest_RAX) {
    case 1:  // write
      st.guest_RAX = static_cast<uint64_t>(
          guest_write(memory, st.guest_RDI, st.guest_RSI, st.guest_RDX));
      return false;
    case 60:   // exit
    case 231:  // exit_group
      *status = static_cast<int>(st.guest_RDI & 0xff);
      return true;
    default:
      die("unsupported system call", st.guest_RAX);
  }
}

void print_stats(const Executor& executor, double seconds) {
  ExecutorStats s = executor.stats();
  std::fprintf(stderr,
               "run-guest: %" PRIu64 " dispatches, %" PRIu64
               " translations, %" PRIu64 " chains, %" PRIu64
               " flushes, %.3f s, %.3g instructions/s\n",
               s.dispatches, s.translations, s.chains, s.flushes, seconds,
               executor.time() / seconds);
}

int run(const Options& options) {
  GuestMemory memory;
  testing::LoadedProgram program;
  std::string error;
  if (!testing::load_static_elf(memory, options.argv[0], options.argv,
                                &program, &error)) {
    std::fprintf(stderr, "run-guest: %s: %s\n", options.argv[0].c_str(),
                 error.c_str());
    return 2;
  }
  HostNondetSource nondet;
  ExecutorOptions executor_options;
  executor_options.chaining = options.chaining;
  Executor executor(valgrind_default_config(), memory, nondet,
                    executor_options);
  VexGuestAMD64State& st = executor.state();  // run in place
  LibVEX_GuestAMD64_initialise(&st);
  st.guest_RSP = program.initial_rsp;
  st.guest_RIP = program.entry;
  const auto started = std::chrono::steady_clock::now();
  int status = 0;
  for (;;) {
    const uint64_t deadline =
        options.step != 0 ? executor.time() + options.step : UINT64_MAX;
    Stop stop = executor.run(deadline);
    if (stop.reason == StopReason::ReachedDeadline) {
      if (executor.time() != deadline) die("missed deadline", deadline);
      continue;
    }
    // Valgrind carries on after these (it prints emulation warnings).
    if (stop.reason == StopReason::EmWarn || stop.reason == StopReason::Yield)
      continue;
    if (stop.reason == StopReason::Syscall &&
        stop.trc_or_jumpkind == VEX_TRC_JMP_SYS_SYSCALL) {
      if (do_syscall(memory, st, &status)) break;
      continue;
    }
    std::fflush(stdout);
    std::fprintf(stderr, "run-guest: stopped (%s, code %" PRIu64
                 ") at %#" PRIx64 ", address %#" PRIx64 "\n",
                 stop_reason_name(stop.reason), stop.trc_or_jumpkind,
                 static_cast<uint64_t>(st.guest_RIP), stop.fault_address);
    status = 2;
    break;
  }
  const std::chrono::duration<double> took =
      std::chrono::steady_clock::now() - started;
  std::fflush(stdout);
  std::fprintf(stderr, "Guest instructions: %s\n",
               with_commas(executor.time()).c_str());
  if (options.stats) print_stats(executor, took.count());
  return status;
}

}  // namespace

int main(int argc, char** argv) { return run(parse(argc, argv)); }
