#include "gdbstub/replay/guest_registers.h"

#include <cstddef>

extern "C" {
#include "libvex_guest_amd64.h"
}

namespace unstuck::replay {
namespace {

struct Field {
  const char* name;
  size_t offset, size;
};

#define FIELD(name, member) \
  {name, offsetof(VexGuestAMD64State, member), sizeof(VexGuestAMD64State::member)}

const Field kFields[] = {
    FIELD("rax", guest_RAX), FIELD("rcx", guest_RCX), FIELD("rdx", guest_RDX),
    FIELD("rbx", guest_RBX), FIELD("rsp", guest_RSP), FIELD("rbp", guest_RBP),
    FIELD("rsi", guest_RSI), FIELD("rdi", guest_RDI), FIELD("r8", guest_R8),
    FIELD("r9", guest_R9), FIELD("r10", guest_R10), FIELD("r11", guest_R11),
    FIELD("r12", guest_R12), FIELD("r13", guest_R13), FIELD("r14", guest_R14),
    FIELD("r15", guest_R15), FIELD("flags (cc_op)", guest_CC_OP),
    FIELD("flags (cc_dep1)", guest_CC_DEP1), FIELD("flags (cc_dep2)", guest_CC_DEP2),
    FIELD("flags (cc_ndep)", guest_CC_NDEP), FIELD("dflag", guest_DFLAG),
    FIELD("rip", guest_RIP), FIELD("acflag", guest_ACFLAG), FIELD("idflag", guest_IDFLAG),
    FIELD("fs_base", guest_FS_CONST), FIELD("sseround", guest_SSEROUND),
    // guest_YMM0 .. guest_YMM16: consecutive 32-byte registers.
    {"ymm", offsetof(VexGuestAMD64State, guest_YMM0),
     offsetof(VexGuestAMD64State, guest_YMM16) + 32 -
         offsetof(VexGuestAMD64State, guest_YMM0)},
    FIELD("ftop", guest_FTOP), FIELD("fpreg", guest_FPREG),
    FIELD("fptag", guest_FPTAG), FIELD("fpround", guest_FPROUND),
    FIELD("fc3210", guest_FC3210), FIELD("emnote", guest_EMNOTE),
    FIELD("cmstart", guest_CMSTART), FIELD("cmlen", guest_CMLEN),
    FIELD("nraddr", guest_NRADDR), FIELD("sc_class", guest_SC_CLASS),
    FIELD("gs_base", guest_GS_CONST), FIELD("ip_at_syscall", guest_IP_AT_SYSCALL),
};

#undef FIELD

}  // namespace

std::string guest_word_name(uint32_t word) {
  size_t offset = size_t{word} * 8;
  for (const Field& f : kFields) {
    if (offset < f.offset || offset >= f.offset + f.size) continue;
    if (f.size <= 8) return f.name;
    size_t within = offset - f.offset;
    if (f.offset == offsetof(VexGuestAMD64State, guest_YMM0)) {
      size_t reg = within / 32, lane = within % 32;
      return "ymm" + std::to_string(reg) + "[" + std::to_string(lane * 8) + ":" +
             std::to_string(lane * 8 + 63) + "]";
    }
    return std::string(f.name) + std::to_string(within / 8);
  }
  return "guest-state word " + std::to_string(word);
}

}  // namespace unstuck::replay
