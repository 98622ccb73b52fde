#include "gdbstub/target/worker_handle.h"

#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

#include "gdbstub/target/replay_worker.h"
#include "gdbstub/target/worker_protocol.h"

namespace unstuck::target {

std::unique_ptr<WorkerHandle> WorkerHandle::start(const std::string& trace_folder,
                                                  std::string* error) {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    *error = std::string("socketpair: ") + std::strerror(errno);
    return nullptr;
  }
  // The coordinator never waits for workers either.
  std::signal(SIGCHLD, SIG_IGN);
  pid_t pid = ::fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    return nullptr;
  }
  if (pid == 0) {
    ::close(ends[0]);
    run_replay_worker(ends[1], trace_folder);
  }
  ::close(ends[1]);
  auto worker = std::unique_ptr<WorkerHandle>(new WorkerHandle(ends[0], pid));
  WorkerState s = worker->state();
  if (!worker->alive()) {
    *error = "the replay worker could not open the trace";
    return nullptr;
  }
  worker->time_ = s.time;
  return worker;
}

WorkerHandle::~WorkerHandle() {
  if (channel_ < 0) return;
  MessageWriter quit;
  quit.u8(static_cast<uint8_t>(WorkerRequest::Quit));
  send_message(channel_, quit);
  ::close(channel_);
}

void WorkerHandle::lost() {
  if (channel_ >= 0) ::close(channel_);
  channel_ = -1;
}

bool WorkerHandle::exchange(const MessageWriter& request, std::vector<uint8_t>* reply) {
  if (channel_ < 0) return false;
  if (send_message(channel_, request) && receive_message(channel_, reply)) return true;
  lost();
  return false;
}

std::unique_ptr<WorkerHandle> WorkerHandle::fork() {
  MessageWriter request;
  request.u8(static_cast<uint8_t>(WorkerRequest::Fork));
  std::vector<uint8_t> reply;
  if (!exchange(request, &reply)) return nullptr;
  MessageReader in(reply);
  pid_t pid = static_cast<pid_t>(in.u64());
  if (pid == 0) return nullptr;
  int channel = receive_descriptor(channel_);
  if (channel < 0) return nullptr;
  auto copy = std::unique_ptr<WorkerHandle>(new WorkerHandle(channel, pid));
  copy->time_ = time_;
  return copy;
}

namespace {

MessageWriter run_request(WorkerRequest type, uint64_t until, const replay::StopConditions& c,
                          uint64_t ignore_breakpoints_at) {
  MessageWriter request;
  request.u8(static_cast<uint8_t>(type)).u64(until).u64(ignore_breakpoints_at);
  request.u32(static_cast<uint32_t>(c.breakpoints.size()));
  for (uint64_t b : c.breakpoints) request.u64(b);
  request.u32(static_cast<uint32_t>(c.watchpoints.size()));
  for (const replay::WatchRange& w : c.watchpoints)
    request.u64(w.address).u64(w.length).u8(static_cast<uint8_t>(w.access));
  return request;
}

RunResult read_run_result(MessageReader& in) {
  RunResult result;
  result.outcome = static_cast<replay::ReplayOutcome>(in.u8());
  result.time = in.u64();
  result.thread = in.u32();
  result.hit.kind = static_cast<replay::ConditionHit::Kind>(in.u8());
  result.hit.address = in.u64();
  result.hit.access = static_cast<replay::Access>(in.u8());
  result.at_end = in.u8() != 0;
  result.message = in.text();
  return result;
}

RunResult worker_died() {
  RunResult result;
  result.message = "the replay worker died";
  return result;
}

}  // namespace

RunResult WorkerHandle::run_until(uint64_t until, const replay::StopConditions& c,
                                  uint64_t ignore_breakpoints_at) {
  std::vector<uint8_t> reply;
  if (!exchange(run_request(WorkerRequest::RunUntil, until, c, ignore_breakpoints_at), &reply))
    return worker_died();
  MessageReader in(reply);
  RunResult result = read_run_result(in);
  time_ = result.time;
  return result;
}

RunResult WorkerHandle::last_hit(uint64_t until, const replay::StopConditions& c,
                                 uint64_t ignore_breakpoints_at) {
  std::vector<uint8_t> reply;
  if (!exchange(run_request(WorkerRequest::LastHit, until, c, ignore_breakpoints_at), &reply))
    return worker_died();
  MessageReader in(reply);
  RunResult result = read_run_result(in);
  time_ = in.u64();
  return result;
}

WorkerState WorkerHandle::state() {
  MessageWriter request;
  request.u8(static_cast<uint8_t>(WorkerRequest::State));
  WorkerState s;
  std::vector<uint8_t> reply;
  if (!exchange(request, &reply)) return s;
  MessageReader in(reply);
  s.time = in.u64();
  s.running = in.u32();
  uint32_t n = in.u32();
  for (uint32_t i = 0; i < n && in.ok(); ++i) s.threads.push_back(in.u32());
  time_ = s.time;
  return s;
}

std::optional<VexGuestAMD64State> WorkerHandle::registers(uint32_t thread) {
  MessageWriter request;
  request.u8(static_cast<uint8_t>(WorkerRequest::Registers)).u32(thread);
  std::vector<uint8_t> reply;
  if (!exchange(request, &reply)) return std::nullopt;
  MessageReader in(reply);
  if (in.u8() == 0) return std::nullopt;
  std::vector<uint8_t> bytes = in.bytes();
  if (bytes.size() != sizeof(VexGuestAMD64State)) return std::nullopt;
  VexGuestAMD64State s;
  std::memcpy(&s, bytes.data(), sizeof s);
  return s;
}

bool WorkerHandle::read_memory(uint64_t address, void* out, uint64_t length) {
  MessageWriter request;
  request.u8(static_cast<uint8_t>(WorkerRequest::ReadMemory)).u64(address).u64(length);
  std::vector<uint8_t> reply;
  if (!exchange(request, &reply)) return false;
  MessageReader in(reply);
  if (in.u8() == 0) return false;
  std::vector<uint8_t> bytes = in.bytes();
  if (bytes.size() != length) return false;
  std::memcpy(out, bytes.data(), length);
  return true;
}

}  // namespace unstuck::target
