#include "gdbstub/target/replay_worker.h"

#include <csignal>
#include <cstdio>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

#include "gdbstub/replay/trace_replayer.h"
#include "gdbstub/target/worker_protocol.h"

namespace unstuck::target {
namespace {

using replay::ReplayOutcome;
using replay::TraceReplayer;

replay::StopConditions read_conditions(MessageReader& in) {
  replay::StopConditions c;
  uint32_t breakpoints = in.u32();
  for (uint32_t i = 0; i < breakpoints && in.ok(); ++i) c.breakpoints.push_back(in.u64());
  uint32_t watchpoints = in.u32();
  for (uint32_t i = 0; i < watchpoints && in.ok(); ++i) {
    uint64_t address = in.u64(), length = in.u64();
    c.watchpoints.push_back({address, length, static_cast<replay::Access>(in.u8())});
  }
  return c;
}

std::string divergence_text(const TraceReplayer& r) {
  const replay::Divergence& d = r.divergence();
  std::string text = "the replay diverged from the recording at time " +
                     std::to_string(d.time) + ": " + d.what;
  for (const replay::RegisterDifference& diff : d.registers) text += "; " + diff.name;
  return text;
}

// A RunResult (worker_handle.h): the outcome, the time, thread and hit it
// is about, whether the replay is at the end, and why it failed.
void write_run_result(MessageWriter& out, TraceReplayer& r, ReplayOutcome outcome,
                      uint64_t time, uint32_t thread, const replay::ConditionHit& hit) {
  out.u8(static_cast<uint8_t>(outcome)).u64(time).u32(thread);
  out.u8(static_cast<uint8_t>(hit.kind)).u64(hit.address);
  out.u8(static_cast<uint8_t>(hit.access)).u8(r.at_end() ? 1 : 0);
  if (outcome == ReplayOutcome::Diverged) out.text(divergence_text(r));
  else if (outcome == ReplayOutcome::TraceError) out.text(r.error());
  else out.text("");
}

MessageWriter run_until(TraceReplayer& r, MessageReader& in) {
  uint64_t until = in.u64(), ignore_at = in.u64();
  replay::StopConditions conditions = read_conditions(in);
  ReplayOutcome outcome = r.run_until(until, conditions, ignore_at);
  MessageWriter out;
  write_run_result(out, r, outcome, r.time(), r.running_thread(), r.hit());
  return out;
}

// Resumes after each hit as the time machine does (not again at the same
// time), keeping the last one.
MessageWriter last_hit(TraceReplayer& r, MessageReader& in) {
  uint64_t until = in.u64(), ignore_at = in.u64();
  replay::StopConditions conditions = read_conditions(in);
  replay::ConditionHit last;
  uint64_t last_time = 0;
  uint32_t last_thread = 0;
  ReplayOutcome outcome;
  while ((outcome = r.run_until(until, conditions, ignore_at)) == ReplayOutcome::Stopped) {
    last = r.hit();
    last_time = ignore_at = r.time();
    last_thread = r.running_thread();
  }
  if (outcome == ReplayOutcome::Finished && last.kind != replay::ConditionHit::Kind::None)
    outcome = ReplayOutcome::Stopped;
  MessageWriter out;
  write_run_result(out, r, outcome, last_time, last_thread, last);
  out.u64(r.time());
  return out;
}

MessageWriter state(TraceReplayer& r) {
  MessageWriter out;
  out.u64(r.time()).u32(r.running_thread());
  std::vector<uint32_t> threads = r.live_threads();
  out.u32(static_cast<uint32_t>(threads.size()));
  for (uint32_t t : threads) out.u32(t);
  return out;
}

MessageWriter registers(TraceReplayer& r, MessageReader& in) {
  const VexGuestAMD64State* s = r.registers(in.u32());
  MessageWriter out;
  out.u8(s != nullptr ? 1 : 0);
  if (s != nullptr) out.bytes(s, sizeof *s);
  return out;
}

MessageWriter read_memory(TraceReplayer& r, MessageReader& in) {
  uint64_t address = in.u64(), length = in.u64();
  std::vector<uint8_t> bytes(length);
  bool ok = length <= (64u << 20) && r.is_mapped(address, length) &&
            r.memory().read(address, bytes.data(), length);
  MessageWriter out;
  out.u8(ok ? 1 : 0);
  if (ok) out.bytes(bytes.data(), bytes.size());
  return out;
}

void serve(int channel, TraceReplayer& replayer);

// The child serves a channel of its own; the parent answers with the
// child's pid and hands the other end of that channel to the coordinator.
void fork_worker(int channel, TraceReplayer& replayer) {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    send_message(channel, MessageWriter().u64(0));
    return;
  }
  pid_t child = ::fork();
  if (child == 0) {
    ::close(channel);
    ::close(ends[0]);
    serve(ends[1], replayer);
    ::_exit(0);
  }
  ::close(ends[1]);
  send_message(channel, MessageWriter().u64(child > 0 ? child : 0));
  if (child > 0) send_descriptor(channel, ends[0]);
  ::close(ends[0]);
}

void serve(int channel, TraceReplayer& replayer) {
  std::vector<uint8_t> body;
  while (receive_message(channel, &body)) {
    MessageReader in(body);
    switch (static_cast<WorkerRequest>(in.u8())) {
      case WorkerRequest::RunUntil: send_message(channel, run_until(replayer, in)); break;
      case WorkerRequest::LastHit: send_message(channel, last_hit(replayer, in)); break;
      case WorkerRequest::State: send_message(channel, state(replayer)); break;
      case WorkerRequest::Registers: send_message(channel, registers(replayer, in)); break;
      case WorkerRequest::ReadMemory: send_message(channel, read_memory(replayer, in)); break;
      case WorkerRequest::Fork: fork_worker(channel, replayer); break;
      case WorkerRequest::Quit: return;
    }
  }
}

}  // namespace

void run_replay_worker(int channel, const std::string& trace_folder) {
  // Forked workers are never waited for: let the kernel reap them.
  std::signal(SIGCHLD, SIG_IGN);
  std::string error;
  auto reader = trace::TraceReader::open(trace_folder, &error);
  if (!reader) {
    std::fprintf(stderr, "unstuck: %s\n", error.c_str());
    ::_exit(1);
  }
  auto replayer = std::make_unique<TraceReplayer>(*reader);
  replayer->run_until(reader->header().start_time);
  serve(channel, *replayer);
  ::_exit(0);
}

}  // namespace unstuck::target
