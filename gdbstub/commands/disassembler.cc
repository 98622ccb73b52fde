#include "gdbstub/commands/disassembler.h"

#include <capstone/capstone.h>

namespace unstuck::commands {

std::string disassemble_one(const uint8_t* code, size_t size, uint64_t address) {
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
    return "(cannot disassemble)";
  cs_insn* insn = nullptr;
  size_t n = cs_disasm(handle, code, size, address, 1, &insn);
  std::string text = "(cannot disassemble)";
  if (n == 1) text = std::string(insn->mnemonic) + " " + insn->op_str;
  if (n > 0) cs_free(insn, n);
  cs_close(&handle);
  return text;
}

}  // namespace unstuck::commands
