// unstuck verify [TRACE] [--to TIME] [--progress=auto|yes|no]: replays a
// trace outside Valgrind and checks every recorded register digest.  Exit
// status 0: no divergence; 3: the replay diverged (reported at the first
// wrong point); 1: the trace is unreadable or damaged; 2: usage.  Long
// replays show their progress on stderr when it is a terminal.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "gdbstub/commands/command.h"
#include "gdbstub/commands/disassembler.h"
#include "gdbstub/replay/trace_replayer.h"

namespace unstuck::commands {
namespace {

struct VerifyArguments {
  std::string trace;
  uint64_t to = UINT64_MAX;
  bool progress = isatty(STDERR_FILENO) != 0;
};

bool parse(const Arguments& args, VerifyArguments* out) {
  Arguments positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--to" && i + 1 < args.size()) {
      char* end = nullptr;
      out->to = std::strtoull(args[++i].c_str(), &end, 10);
      if (*end != '\0') return false;
    } else if (args[i].rfind("--to=", 0) == 0) {
      char* end = nullptr;
      out->to = std::strtoull(args[i].c_str() + 5, &end, 10);
      if (*end != '\0') return false;
    } else if (args[i] == "--progress=yes" || args[i] == "--progress=no" ||
               args[i] == "--progress=auto") {
      out->progress = args[i] == "--progress=yes" ||
                      (args[i] == "--progress=auto" && isatty(STDERR_FILENO) != 0);
    } else if (args[i][0] == '-') {
      return false;
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.size() > 1) return false;
  out->trace = trace_folder_argument(positional);
  return true;
}

void report(const replay::Divergence& d, replay::TraceReplayer& replayer) {
  std::printf("unstuck verify: DIVERGENCE at time %" PRIu64 ", thread %u, pc 0x%" PRIx64 "\n",
              d.time, d.thread, d.pc);
  std::printf("  %s\n", d.what.c_str());
  uint8_t code[16] = {};
  if (replayer.memory().read(d.pc, code, sizeof code))
    std::printf("  0x%" PRIx64 ": %s\n", d.pc,
                disassemble_one(code, sizeof code, d.pc).c_str());
  for (const replay::RegisterDifference& r : d.registers)
    std::printf("  %-16s recorded 0x%016" PRIx64 "  replayed 0x%016" PRIx64 "\n",
                r.name.c_str(), r.recorded, r.replayed);
}

// Replays to `to` in slices of about half a second, saying how far it got
// after each: "Replayed 41% (700,000,000 of 1,675,068,721 instructions)".
replay::ReplayOutcome run_with_progress(replay::TraceReplayer& replayer, uint64_t to,
                                        uint64_t end) {
  const uint64_t goal = std::min(to, end);
  uint64_t slice = 20'000'000;  // grows or shrinks to about half a second
  replay::ReplayOutcome outcome = replay::ReplayOutcome::Finished;
  while (replayer.time() < goal) {
    auto started = std::chrono::steady_clock::now();
    const uint64_t stop = replayer.time() + std::min(slice, goal - replayer.time());
    outcome = replayer.run_until(stop);
    if (outcome != replay::ReplayOutcome::Finished || replayer.time() < stop) break;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (seconds > 0) slice = std::max<uint64_t>(1'000'000, static_cast<uint64_t>(slice * 0.5 / seconds));
    std::fprintf(stderr, "\rReplayed %3.0f%% (%" PRIu64 " of %" PRIu64 " instructions)",
                 100.0 * static_cast<double>(replayer.time()) / static_cast<double>(goal),
                 replayer.time(), goal);
  }
  std::fprintf(stderr, "\r%60s\r", "");
  // Whatever is left (the events at the very end, or a trace that goes on
  // past its index's last time): as run_until would have done in one go.
  if (outcome == replay::ReplayOutcome::Finished) outcome = replayer.run_until(to);
  return outcome;
}

}  // namespace

int verify_command(const Arguments& args) {
  VerifyArguments options;
  if (!parse(args, &options)) {
    std::fprintf(stderr, "usage: unstuck verify [TRACE] [--to TIME] [--progress=auto|yes|no]\n");
    return 2;
  }
  std::string error;
  auto reader = trace::TraceReader::open(options.trace, &error);
  if (!reader) {
    std::fprintf(stderr, "unstuck verify: %s\n", error.c_str());
    return 1;
  }
  std::printf("Replaying %s (%s)\n", reader->folder().c_str(),
              reader->header().executable.c_str());
  auto started = std::chrono::steady_clock::now();
  replay::TraceReplayer replayer(*reader);
  uint64_t first = replayer.time();
  replay::ReplayOutcome outcome =
      options.progress ? run_with_progress(replayer, options.to, reader->last_time())
                       : replayer.run_until(options.to);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  uint64_t replayed = replayer.time() - first;
  const replay::ReplayStats& s = replayer.stats();
  std::printf("Replayed %" PRIu64 " instructions in %.2f s (%.1f million/s); %" PRIu64
              " events, %" PRIu64 " syscalls, %" PRIu64 " signals, %" PRIu64
              " register digests checked\n",
              replayed, seconds, seconds > 0 ? replayed / seconds / 1e6 : 0.0,
              s.events, s.syscalls, s.signals, s.digests);
  switch (outcome) {
    case replay::ReplayOutcome::Diverged:
      report(replayer.divergence(), replayer);
      return 3;
    case replay::ReplayOutcome::TraceError:
      std::printf("unstuck verify: the trace cannot be replayed past time %" PRIu64
                  ": %s\n", replayer.time(), replayer.error().c_str());
      return 1;
    case replay::ReplayOutcome::Finished:
    case replay::ReplayOutcome::Stopped:  // verify sets no stop conditions
      break;
  }
  // A trace cut short replays as far as it goes, but is not a whole run.
  if (options.to == UINT64_MAX && replayer.ending().empty()) {
    std::string why = reader->damage().empty()
                          ? "the recording was interrupted (killed, or Valgrind died)"
                          : reader->damage();
    std::printf("unstuck verify: no divergence up to time %" PRIu64
                ", where the trace stops: %s\n", replayer.time(), why.c_str());
    return 1;
  }
  std::printf("No divergence%s%s.\n", replayer.ending().empty() ? "" : "; the program's ",
              replayer.ending().c_str());
  return 0;
}

}  // namespace unstuck::commands
