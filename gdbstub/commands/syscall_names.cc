#include "gdbstub/commands/syscall_names.h"

#include <map>

namespace unstuck::commands {

std::string syscall_name(uint64_t number) {
  // Generated at build time from the kernel headers (asm/unistd_64.h).
  static const std::map<uint64_t, const char*> names = {
#include "gdbstub/commands/syscall_table.inc"
  };
  auto it = names.find(number);
  return it != names.end() ? it->second : "syscall_" + std::to_string(number);
}

}  // namespace unstuck::commands
