// A loader for the test programs: static, non-PIE ELF64 x86-64 executables
// that need no libc (regtest/replay/).  It copies the PT_LOAD segments into
// the guest window (the rest of each segment, .bss, is already zero) and
// builds a Linux initial stack: argc, argv, an empty environment and an
// auxiliary vector holding only AT_PAGESZ.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "gdbstub/replay/guest_memory.h"

namespace unstuck::replay::testing {

struct LoadedProgram {
  uint64_t entry;
  uint64_t initial_rsp;  // 16-aligned, pointing at argc
};

// Where the stack ends, as under Valgrind (just below 0x1fff001000).
inline constexpr uint64_t kStackTop = 0x1fff001000ULL;

// Returns false with `error` set when the file is not such a program.
bool load_static_elf(GuestMemory& memory, const std::string& path,
                     const std::vector<std::string>& argv,
                     LoadedProgram* program, std::string* error);

}  // namespace unstuck::replay::testing
