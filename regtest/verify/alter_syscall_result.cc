// alter_syscall_result TRACE SYSCALL-NUMBER [OCCURRENCE]
// Test tool: rewrites TRACE (in place) so that the OCCURRENCE-th (default
// first) result the recording got from syscall SYSCALL-NUMBER is one less
// than it was (the %rax of the Registers event after its SyscallExit).  A replay of
// the altered trace must diverge no later than the next digest.
#include <cstdio>
#include <cstdlib>
#include <cstddef>
#include <memory>

#include "shared/trace/chunk_writer.h"
#include "shared/trace/event_records.h"
#include "shared/trace/trace_reader.h"

extern "C" {
#include "libvex_guest_amd64.h"
}

using namespace unstuck::trace;

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: alter_syscall_result TRACE SYSCALL-NUMBER [OCCURRENCE]\n");
    return 2;
  }
  std::string error;
  auto reader = TraceReader::open(argv[1], &error);
  if (!reader) {
    std::fprintf(stderr, "alter_syscall_result: %s\n", error.c_str());
    return 1;
  }
  const uint64_t syscall = std::strtoull(argv[2], nullptr, 10);
  uint64_t skip = argc == 4 ? std::strtoull(argv[3], nullptr, 10) - 1 : 0;
  const uint32_t rax = offsetof(VexGuestAMD64State, guest_RAX) / 8;
  // Read everything first: the events file is rewritten below.
  std::vector<std::unique_ptr<AnyEvent>> all;
  EventStream stream(*reader);
  EventKind kind;
  uint64_t time;
  EventDecoder* fields;
  while (stream.next(&kind, &time, &fields)) {
    all.push_back(std::make_unique<AnyEvent>());
    if (!read_event(kind, *fields, all.back().get())) return 1;
    all.back()->time = time;
  }
  bool after_exit = false, altered = false;
  for (auto& e : all) {
    if (e->kind == EventKind::SyscallExit && e->syscall.number == syscall && !altered)
      after_exit = skip-- == 0;
    if (after_exit && e->kind == EventKind::Registers) {
      for (uint32_t k = 0; k < e->registers.count; ++k)
        if (e->registers.changes[k].word == rax) {
          e->registers.changes[k].value -= 1;
          altered = true;
        }
      after_exit = false;
    }
  }
  if (!altered) {
    std::fprintf(stderr, "alter_syscall_result: no result of syscall %s found\n", argv[2]);
    return 1;
  }
  ChunkWriter writer;
  if (writer.open(reader->folder().c_str()) < 0) return 1;
  for (auto& e : all) {
    write_event(writer.events(), *e);
    writer.chunk_if_full();
  }
  return writer.close() < 0 ? 1 : 0;
}
