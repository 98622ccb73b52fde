// Just enough of an ELF64 file for finding and reading debug sections: the
// section table by name, section contents (zlib-compressed ones
// inflated), the build id and the .gnu_debuglink name.
#pragma once

#include <stdint.h>

#include "shared/rt/vector.h"

namespace unstuck::argdist {

class ElfFile {
 public:
  ElfFile() = default;
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;
  ~ElfFile();

  // False when the file cannot be read or is not a little-endian ELF64.
  // Opening again first closes what was open.
  bool open(const char* path);
  void close();

  bool has_section(const char* name) const;
  // The section's contents, decompressed; false when absent or unreadable.
  bool read_section(const char* name, Vector<uint8_t>* out) const;

  // The GNU build id as lowercase hex, or false.
  bool build_id(Vector<char>* hex) const;
  // The file name in .gnu_debuglink, or false.
  bool debug_link(Vector<char>* name) const;

 private:
  struct Section {
    uint32_t name;  // offset in the section-name table
    uint32_t type;
    uint64_t flags;
    uint64_t offset;
    uint64_t size;
  };

  const Section* find(const char* name) const;
  bool read_at(uint64_t offset, void* out, uint64_t size) const;

  int fd_ = -1;
  Vector<Section> sections_;
  Vector<char> section_names_;
};

}  // namespace unstuck::argdist
