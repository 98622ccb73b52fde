#include "gdbstub/rsp/stop_reply.h"

#include "gdbstub/rsp/hex.h"
#include "gdbstub/rsp/signal_numbers.h"

namespace unstuck::rsp {

namespace {

using target::StopKind;

std::string t_packet(int gdb_signal, uint32_t thread, std::string_view reason) {
  std::string packet = "T" + hex_byte(static_cast<unsigned>(gdb_signal));
  if (thread != 0) packet += "thread:" + hex_number(thread) + ";";
  return packet += reason;
}

std::string watch_reason(const target::StopEvent& stop) {
  const char* key = "watch";
  if (stop.watch_kind == target::WatchKind::Read) key = "rwatch";
  if (stop.watch_kind == target::WatchKind::Access) key = "awatch";
  return std::string(key) + ":" + hex_number(stop.watch_address) + ";";
}

std::string breakpoint_reason(const StopContext& context) {
  if (!context.client_knows_break_reasons) return "";
  return context.hardware_breakpoint ? "hwbreak:;" : "swbreak:;";
}

// GDB prints "No more reverse-execution history." for either end.
std::string history_end_reason(target::Direction direction) {
  return direction == target::Direction::Backward ? "replaylog:begin;" : "replaylog:end;";
}

std::string exit_packet(const target::StopEvent& stop) {
  if (stop.killed) return "X" + hex_byte(static_cast<unsigned>(gdb_signal_from_linux(stop.signal)));
  return "W" + hex_byte(static_cast<unsigned>(stop.exit_status) & 0xff);
}

}  // namespace

std::string stop_reply_packet(const target::StopEvent& stop, const StopContext& context) {
  switch (stop.kind) {
    case StopKind::Breakpoint:
      return t_packet(kGdbSignalTrap, stop.thread, breakpoint_reason(context));
    case StopKind::Watchpoint:
      return t_packet(kGdbSignalTrap, stop.thread, watch_reason(stop));
    case StopKind::Step:
      return t_packet(kGdbSignalTrap, stop.thread, "");
    case StopKind::Signal:
      return t_packet(gdb_signal_from_linux(stop.signal), stop.thread, "");
    case StopKind::HistoryBegin:
      return t_packet(kGdbSignalTrap, stop.thread, history_end_reason(target::Direction::Backward));
    case StopKind::HistoryEnd:
      return t_packet(kGdbSignalTrap, stop.thread, history_end_reason(target::Direction::Forward));
    case StopKind::Exited:
      return exit_packet(stop);
    case StopKind::Interrupted:
      return t_packet(kGdbSignalInt, stop.thread, "");
    case StopKind::Error:
      return t_packet(kGdbSignalTrap, stop.thread, history_end_reason(context.direction));
  }
  return "E01";
}

bool is_process_end(const target::StopEvent& stop) { return stop.kind == StopKind::Exited; }

}  // namespace unstuck::rsp
