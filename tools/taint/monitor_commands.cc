#include "tools/taint/monitor_commands.h"

#include "shared/rt/string_builder.h"
#include "tools/taint/label_text.h"
#include "tools/taint/shadow_state.h"

extern "C" {
#include "pub_tool_gdbserver.h"
}

namespace unstuck::taint {
namespace {

constexpr SizeT kMaxBytes = 1 << 16;

struct Register {
  const char* name;
  int32_t offset;
  int32_t size;
};

#define REG(name, field, size) {name, static_cast<int32_t>(offsetof(VexGuestAMD64State, field)), size}
#define GPR(q, d, field) REG(q, field, 8), REG(d, field, 4)
#define VEC(i) REG("xmm" #i, guest_YMM##i, 16), REG("ymm" #i, guest_YMM##i, 32)

const Register kRegisters[] = {
    GPR("rax", "eax", guest_RAX), GPR("rbx", "ebx", guest_RBX), GPR("rcx", "ecx", guest_RCX),
    GPR("rdx", "edx", guest_RDX), GPR("rsi", "esi", guest_RSI), GPR("rdi", "edi", guest_RDI),
    GPR("rbp", "ebp", guest_RBP), GPR("rsp", "esp", guest_RSP), GPR("r8", "r8d", guest_R8),
    GPR("r9", "r9d", guest_R9), GPR("r10", "r10d", guest_R10), GPR("r11", "r11d", guest_R11),
    GPR("r12", "r12d", guest_R12), GPR("r13", "r13d", guest_R13),
    GPR("r14", "r14d", guest_R14), GPR("r15", "r15d", guest_R15),
    VEC(0), VEC(1), VEC(2), VEC(3), VEC(4), VEC(5), VEC(6), VEC(7),
    VEC(8), VEC(9), VEC(10), VEC(11), VEC(12), VEC(13), VEC(14), VEC(15),
};

void print_line(const char* line) { VG_(gdb_printf)("%s", line); }

void print_usage() {
  VG_(gdb_printf)(
      "taint monitor commands:\n"
      "  taint ADDR [LEN]   labels of LEN bytes (default 1) at ADDR\n"
      "  taint-reg REG      labels of a register: rax..r15, eax.., xmm0..15,\n"
      "                     ymm0..15, rflags\n");
}

bool taint_memory(HChar** saveptr) {
  const HChar* word = VG_(strtok_r)(nullptr, " ", saveptr);
  Addr a = 0;
  if (word == nullptr || !VG_(parse_Addr)(&word, &a)) {
    VG_(gdb_printf)("usage: taint ADDR [LEN]\n");
    return true;
  }
  SizeT n = 1;
  if (const HChar* len = VG_(strtok_r)(nullptr, " ", saveptr)) {
    HChar* end = nullptr;
    n = VG_(strtoull10)(len, &end);
    if (n == 0 || n > kMaxBytes) {
      VG_(gdb_printf)("taint: LEN must be 1 to %lu\n", static_cast<unsigned long>(kMaxBytes));
      return true;
    }
  }
  describe_memory(a, n, print_line);
  return true;
}

// The flags live in the lazy flags thunk: their labels are the operands'.
LabelSetId flags_label(ThreadId tid) {
  LabelSetId label = kEmptyLabelSet;
  const int32_t fields[] = {offsetof(VexGuestAMD64State, guest_CC_DEP1),
                            offsetof(VexGuestAMD64State, guest_CC_DEP2),
                            offsetof(VexGuestAMD64State, guest_CC_NDEP)};
  for (int32_t offset : fields) label = union_labels(label, register_label(tid, offset, 8));
  return label;
}

bool taint_register(ThreadId tid, HChar** saveptr) {
  const HChar* name = VG_(strtok_r)(nullptr, " ", saveptr);
  if (name == nullptr) {
    VG_(gdb_printf)("usage: taint-reg REG\n");
    return true;
  }
  LabelSetId label = kEmptyLabelSet;
  bool found = false;
  if (VG_(strcmp)(name, "rflags") == 0 || VG_(strcmp)(name, "eflags") == 0) {
    label = flags_label(tid);
    found = true;
  }
  for (const Register& r : kRegisters) {
    if (VG_(strcmp)(name, r.name) != 0) continue;
    label = register_label(tid, r.offset, r.size);
    found = true;
  }
  if (!found) {
    VG_(gdb_printf)("taint-reg: unknown register '%s'\n", name);
    return true;
  }
  StringBuilder line;
  line.append(name).append(": ");
  append_labels(label, line);
  VG_(gdb_printf)("%s\n", line.c_str());
  return true;
}

}  // namespace

Bool handle_monitor_command(ThreadId tid, HChar* command) {
  HChar* saveptr = nullptr;
  const HChar* word = VG_(strtok_r)(command, " ", &saveptr);
  if (word == nullptr) return False;
  if (VG_(strcmp)(word, "help") == 0) {
    print_usage();
    return True;
  }
  if (VG_(strcmp)(word, "taint") == 0) return taint_memory(&saveptr);
  if (VG_(strcmp)(word, "taint-reg") == 0) return taint_register(tid, &saveptr);
  return False;
}

}  // namespace unstuck::taint
