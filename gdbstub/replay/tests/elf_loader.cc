#include "gdbstub/replay/tests/elf_loader.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace unstuck::replay::testing {
namespace {

bool read_file(const std::string& path, std::vector<uint8_t>* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes->assign(std::istreambuf_iterator<char>(in),
                std::istreambuf_iterator<char>());
  return true;
}

bool fail(std::string* error, const std::string& message) {
  *error = message;
  return false;
}

bool check_header(const std::vector<uint8_t>& file, std::string* error) {
  if (file.size() < sizeof(Elf64_Ehdr) ||
      std::memcmp(file.data(), ELFMAG, SELFMAG) != 0)
    return fail(error, "not an ELF file");
  const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(file.data());
  if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
    return fail(error, "not an x86-64 ELF64 file");
  if (eh->e_type != ET_EXEC)
    return fail(error, "not a static non-PIE executable (e_type != ET_EXEC)");
  if (eh->e_phoff + uint64_t{eh->e_phnum} * sizeof(Elf64_Phdr) > file.size())
    return fail(error, "truncated program headers");
  return true;
}

bool load_segment(GuestMemory& memory, const std::vector<uint8_t>& file,
                  const Elf64_Phdr& ph, std::string* error) {
  if (ph.p_type == PT_INTERP)
    return fail(error, "dynamically linked (has PT_INTERP)");
  if (ph.p_type != PT_LOAD) return true;
  if (ph.p_offset + ph.p_filesz > file.size() || ph.p_filesz > ph.p_memsz)
    return fail(error, "a PT_LOAD segment lies outside the file");
  if (!GuestMemory::contains(ph.p_vaddr, ph.p_memsz))
    return fail(error, GuestMemory::describe_out_of_range(ph.p_vaddr,
                                                          ph.p_memsz));
  if (!memory.write(ph.p_vaddr, file.data() + ph.p_offset, ph.p_filesz))
    return fail(error, "cannot write a segment");
  return true;
}

// Pushes a copy of `bytes` below `*sp` and returns its guest address.
uint64_t push_bytes(GuestMemory& memory, uint64_t* sp, const void* bytes,
                    uint64_t n) {
  *sp -= n;
  bool ok = memory.write(*sp, bytes, n);
  (void)ok;
  return *sp;
}

uint64_t build_stack(GuestMemory& memory,
                     const std::vector<std::string>& argv) {
  uint64_t sp = kStackTop;
  std::vector<uint64_t> argv_addresses;
  for (const std::string& arg : argv)
    argv_addresses.push_back(
        push_bytes(memory, &sp, arg.c_str(), arg.size() + 1));
  std::vector<uint64_t> words;
  words.push_back(argv.size());
  words.insert(words.end(), argv_addresses.begin(), argv_addresses.end());
  words.push_back(0);  // end of argv
  words.push_back(0);  // end of the (empty) environment
  words.insert(words.end(), {AT_PAGESZ, 4096, AT_NULL, 0});
  sp = (sp - words.size() * 8) & ~uint64_t{15};
  bool ok = memory.write(sp, words.data(), words.size() * 8);
  (void)ok;
  return sp;
}

}  // namespace

bool load_static_elf(GuestMemory& memory, const std::string& path,
                     const std::vector<std::string>& argv,
                     LoadedProgram* program, std::string* error) {
  std::vector<uint8_t> file;
  if (!read_file(path, &file)) return fail(error, "cannot read " + path);
  if (!check_header(file, error)) return false;
  const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(file.data());
  const auto* ph =
      reinterpret_cast<const Elf64_Phdr*>(file.data() + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; ++i)
    if (!load_segment(memory, file, ph[i], error)) return false;
  program->entry = eh->e_entry;
  program->initial_rsp = build_stack(memory, argv);
  return true;
}

}  // namespace unstuck::replay::testing
