#include "tools/taint/syscall_sinks.h"

#include "shared/timeline/instruction_clock.h"
#include "shared/vg/core_events.h"
#include "tools/taint/client_memory.h"
#include "tools/taint/findings.h"
#include "tools/taint/shadow_state.h"

namespace unstuck::taint {
namespace {

constexpr uint64_t kMaxString = 1 << 20;

// The guest program counter is past the syscall instruction (0f 05), as
// Valgrind's own restart of an interrupted syscall assumes on amd64-linux.
constexpr Addr kSyscallBytes = 2;

Addr syscall_instruction(ThreadId tid) { return VG_(get_IP)(tid) - kSyscallBytes; }

// The syscall instruction ends its superblock, whose instructions the
// clock has all counted: it is the last one.
void report(ThreadId tid, const HChar* what, LabelSetId label) {
  if (label == kEmptyLabelSet) return;
  report_finding(SinkKind::kSyscall, intern_detail(what), label, syscall_instruction(tid),
                 timeline::time_of_instruction(1), tid, nullptr);
}

void on_pre_reg_read(CorePart part, ThreadId tid, const HChar* what, PtrdiffT offset,
                     SizeT size) {
  if (part != Vg_CoreSysCall) return;
  report(tid, what,
         register_label(tid, static_cast<int32_t>(offset), static_cast<int32_t>(size)));
}

void on_pre_mem_read(CorePart part, ThreadId tid, const HChar* what, Addr a, SizeT size) {
  if (part != Vg_CoreSysCall) return;
  report(tid, what, memory_label(a, size));
}

void on_pre_mem_read_asciiz(CorePart part, ThreadId tid, const HChar* what, Addr a) {
  if (part != Vg_CoreSysCall) return;
  report(tid, what, memory_label(a, string_bytes(a, kMaxString)));
}

}  // namespace

void install_syscall_sinks() {
  core_events::on_pre_reg_read(on_pre_reg_read);
  core_events::on_pre_mem_read(on_pre_mem_read);
  core_events::on_pre_mem_read_asciiz(on_pre_mem_read_asciiz);
}

}  // namespace unstuck::taint
