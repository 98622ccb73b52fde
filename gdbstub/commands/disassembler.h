// One amd64 instruction as text (Capstone), for divergence reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace unstuck::commands {

// "mov rax, qword ptr [rbx]", or "(cannot disassemble)".
std::string disassemble_one(const uint8_t* code, size_t size, uint64_t address);

}  // namespace unstuck::commands
