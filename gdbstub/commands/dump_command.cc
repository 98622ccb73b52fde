// unstuck dump [TRACE]: the header and every event, one line each.
#include <cinttypes>
#include <cstdio>

#include "gdbstub/commands/command.h"
#include "gdbstub/commands/syscall_names.h"
#include "shared/trace/event_records.h"
#include "shared/trace/trace_reader.h"

namespace unstuck::commands {
namespace {

using trace::AnyEvent;
using trace::EventKind;

std::string text_of(const trace::ByteSpan& s) {
  return std::string(reinterpret_cast<const char*>(s.data), s.size);
}

std::string protection(uint32_t prot) {
  std::string s = "---";
  if (prot & 1) s[0] = 'r';
  if (prot & 2) s[1] = 'w';
  if (prot & 4) s[2] = 'x';
  return s;
}

const char* map_kind(trace::MapKind kind) {
  switch (kind) {
    case trace::MapKind::File: return "file";
    case trace::MapKind::Shared: return "shared";
    case trace::MapKind::Heap: return "heap";
    case trace::MapKind::StackReserve: return "stack-reserve";
    default: return "anon";
  }
}

const char* nondet_name(trace::NondetKind kind) {
  switch (kind) {
    case trace::NondetKind::Rdtsc: return "rdtsc";
    case trace::NondetKind::Rdtscp: return "rdtscp";
    case trace::NondetKind::Rdrand: return "rdrand";
    case trace::NondetKind::Rdseed: return "rdseed";
    case trace::NondetKind::Cpuid: return "cpuid";
    case trace::NondetKind::Sxdt: return "sgdt/sidt";
  }
  return "?";
}

void print_header(const trace::TraceHeader& h, const std::string& folder) {
  std::printf("trace %s\n", folder.c_str());
  std::printf("  format %u, Valgrind %s, tool %s, pid %" PRIu64 "\n", h.version,
              h.valgrind_version.c_str(), h.tool.c_str(), h.pid);
  if (h.parent_pid != 0)
    std::printf("  forked from pid %" PRIu64 " (trace %s) at time %" PRIu64 "\n",
                h.parent_pid, h.parent_trace.c_str(), h.start_time);
  std::printf("  command %s", h.executable.c_str());
  for (const std::string& a : h.arguments) std::printf(" %s", a.c_str());
  std::printf("\n  working directory %s\n", h.working_directory.c_str());
  std::printf("  %zu environment variables, auxv %zu bytes, hwcaps 0x%x\n",
              h.environment.size(), h.auxv.size(), h.arch_info.hwcaps);
}

void print_event(const AnyEvent& e) {
  std::printf("{%" PRIu64 "} %s", e.time, trace::kind_name(e.kind));
  switch (e.kind) {
    case EventKind::Map:
      std::printf(" 0x%" PRIx64 "-0x%" PRIx64 " %s %s", e.map.address,
                  e.map.address + e.map.length, protection(e.map.protection).c_str(),
                  map_kind(e.map.kind));
      if (e.map.path.size)
        std::printf(" %s +0x%" PRIx64, text_of(e.map.path).c_str(), e.map.file_offset);
      break;
    case EventKind::Unmap:
    case EventKind::Zero:
      std::printf(" 0x%" PRIx64 "-0x%" PRIx64, e.range.address,
                  e.range.address + e.range.length);
      break;
    case EventKind::Protect:
      std::printf(" 0x%" PRIx64 "-0x%" PRIx64 " %s", e.protect.address,
                  e.protect.address + e.protect.length,
                  protection(e.protect.protection).c_str());
      break;
    case EventKind::Remap:
      std::printf(" 0x%" PRIx64 " -> 0x%" PRIx64 ", %" PRIu64 " bytes", e.remap.from,
                  e.remap.to, e.remap.length);
      break;
    case EventKind::Bytes:
      std::printf(" 0x%" PRIx64 ", %zu bytes", e.bytes.address, e.bytes.data.size);
      break;
    case EventKind::Blob: {
      char hex[33];
      e.blob.hash.to_hex(hex);
      std::printf(" 0x%" PRIx64 ", %" PRIu64 " bytes, %s", e.blob.address,
                  e.blob.length, hex);
      break;
    }
    case EventKind::Registers:
    case EventKind::Digest:
      std::printf(" thread %u, %u words", e.registers.thread, e.registers.count);
      break;
    case EventKind::Switch:
    case EventKind::ThreadExit:
      std::printf(" thread %u", e.thread.thread);
      break;
    case EventKind::ThreadStart:
      std::printf(" thread %u (created by thread %u)", e.thread.thread, e.thread.parent);
      break;
    case EventKind::SyscallEnter:
      std::printf(" thread %u %s", e.syscall.thread, syscall_name(e.syscall.number).c_str());
      break;
    case EventKind::SyscallExit:
      std::printf(" thread %u %s = %" PRId64, e.syscall.thread,
                  syscall_name(e.syscall.number).c_str(), e.syscall.result);
      break;
    case EventKind::Signal:
      std::printf(" thread %u signal %d", e.signal.thread, e.signal.signal);
      break;
    case EventKind::Nondet:
      std::printf(" %s", nondet_name(e.nondet.kind));
      for (uint32_t i = 0; i < e.nondet.count; ++i)
        std::printf(" 0x%" PRIx64, e.nondet.values[i]);
      break;
    case EventKind::Redirect:
      std::printf(" 0x%" PRIx64 " -> 0x%" PRIx64 " (%s)", e.redirect.from,
                  e.redirect.to, e.redirect.wrap ? "wrap" : "replace");
      break;
    case EventKind::Warning:
    case EventKind::Exec:
    case EventKind::ThreadName:
      std::printf(" thread %u: %s", e.text.thread, text_of(e.text.text).c_str());
      break;
    case EventKind::Exit:
      if (e.exit.kind == trace::ExitKind::Exited)
        std::printf(" status %" PRId64, e.exit.value);
      else
        std::printf(" without exit() (killed by a signal, or Valgrind died)");
      break;
    case EventKind::Fork:
      std::printf(" thread %u, child pid %" PRIu64, e.fork.thread, e.fork.child_pid);
      break;
  }
  std::printf("\n");
}

}  // namespace

int dump_command(const Arguments& args) {
  if (args.size() > 1 || (!args.empty() && args[0][0] == '-')) {
    std::fprintf(stderr, "usage: unstuck dump [TRACE]\n");
    return 2;
  }
  std::string error;
  auto reader = trace::TraceReader::open(trace_folder_argument(args), &error);
  if (!reader) {
    std::fprintf(stderr, "unstuck dump: %s\n", error.c_str());
    return 1;
  }
  print_header(reader->header(), reader->folder());
  trace::EventStream stream(*reader);
  EventKind kind;
  uint64_t time;
  trace::EventDecoder* fields;
  static AnyEvent event;  // large (register deltas): not on the stack
  while (stream.next(&kind, &time, &fields)) {
    if (!trace::read_event(kind, *fields, &event)) {
      std::fprintf(stderr, "unstuck dump: corrupt %s event at time %" PRIu64 "\n",
                   trace::kind_name(kind), time);
      return 1;
    }
    event.time = time;
    print_event(event);
  }
  if (!stream.error().empty()) {
    std::fprintf(stderr, "unstuck dump: %s\n", stream.error().c_str());
    return 1;
  }
  if (!reader->damage().empty())
    std::printf("(%s)\n", reader->damage().c_str());
  return 0;
}

}  // namespace unstuck::commands
