// The names of amd64 Linux system calls, for dumps and messages.
#pragma once

#include <cstdint>
#include <string>

namespace unstuck::commands {

// "read", "openat", ... or "syscall_N" for a number this build does not know.
std::string syscall_name(uint64_t number);

}  // namespace unstuck::commands
