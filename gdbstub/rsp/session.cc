#include "gdbstub/rsp/session.h"

#include "gdbstub/rsp/hex.h"

namespace unstuck::rsp {

namespace {

// Console output is split so each O packet stays far below PacketSize.
constexpr size_t kConsoleChunk = 1024;

}  // namespace

std::optional<uint32_t> parse_thread_id(std::string_view text) {
  if (text == "-1") return kAllThreads;
  if (!text.empty() && text[0] == 'p') {
    size_t dot = text.find('.');
    if (dot == std::string_view::npos) return kAllThreads;  // "pPID": all of its threads
    text = text.substr(dot + 1);
    if (text == "-1") return kAllThreads;
  }
  auto value = parse_hex(text);
  if (!value || *value >= kAllThreads) return std::nullopt;
  return static_cast<uint32_t>(*value);
}

target::StopConditions StopConditionsSet::as_conditions() const {
  target::StopConditions conditions;
  conditions.breakpoints.assign(software_breakpoints.begin(), software_breakpoints.end());
  for (uint64_t address : hardware_breakpoints) {
    if (!software_breakpoints.contains(address)) conditions.breakpoints.push_back(address);
  }
  conditions.watchpoints = watchpoints;
  return conditions;
}

bool Session::handle(std::string_view packet) {
  bool keep_going = true;
  if (handle_lifecycle_packet(*this, packet, &keep_going)) return keep_going;
  if (handle_resume_packet(*this, packet) || handle_data_packet(*this, packet) ||
      handle_breakpoint_packet(*this, packet) || handle_thread_packet(*this, packet) ||
      handle_xfer_packet(*this, packet) || handle_monitor_packet(*this, packet) ||
      handle_query_packet(*this, packet)) {
    return true;
  }
  reply("");  // the protocol's "not supported"
  return true;
}

void Session::console(std::string_view text) {
  for (size_t at = 0; at < text.size(); at += kConsoleChunk) {
    reply("O" + to_hex(text.substr(at, kConsoleChunk)));
  }
}

uint32_t Session::resolve_thread(uint32_t selected) {
  if (selected != kAnyThread && selected != kAllThreads) return selected;
  return target_.current_thread();
}

std::vector<target::ThreadInfo> Session::live_threads() {
  if (state_.process != ProcessState::Alive) return {};
  return target_.threads();
}

StopContext Session::stop_context(const target::StopEvent& stop, target::Direction direction) {
  StopContext context;
  context.direction = direction;
  context.client_knows_break_reasons = state_.client_knows_break_reasons;
  if (stop.kind == target::StopKind::Breakpoint) {
    // Z1 and Z0 addresses reach the target as one list: tell them apart by
    // where the thread stopped.
    const auto& conditions = state_.stop_conditions;
    auto registers = target_.registers(stop.thread);
    uint64_t pc = registers ? registers->guest_RIP : 0;
    context.hardware_breakpoint = conditions.hardware_breakpoints.contains(pc) &&
                                  !conditions.software_breakpoints.contains(pc);
  }
  return context;
}

void Session::report_stop(const target::StopEvent& stop, target::Direction direction) {
  if (stop.kind == target::StopKind::Error) {
    console("unstuck: the replay cannot go on: " + stop.message + "\n");
  }
  state_.last_stop = stop;
  state_.last_stop_reply = stop_reply_packet(stop, stop_context(stop, direction));
  if (is_process_end(stop)) state_.process = ProcessState::Exited;
  // GDB expects the stopped thread to be selected after a forward resume,
  // but "any thread" after a reverse one (as rr found): it asks again.
  uint32_t selected = direction == target::Direction::Backward ? kAnyThread : stop.thread;
  state_.general_thread = state_.continue_thread = selected;
  reply(state_.last_stop_reply);
}

void Session::adopt_position(const target::StopEvent& stop) {
  state_.process = ProcessState::Alive;
  state_.last_stop = stop;
  state_.last_stop_reply = stop_reply_packet(stop, StopContext{});
  state_.general_thread = state_.continue_thread = kAnyThread;
}

}  // namespace unstuck::rsp
