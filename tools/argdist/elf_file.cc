#include "tools/argdist/elf_file.h"

#include "shared/rt/string_builder.h"
#include "shared/vg/valgrind_api.h"
#include "tools/argdist/inflate.h"

namespace unstuck::argdist {
namespace {

// ELF64 constants and layouts (only the fields read here).
constexpr uint64_t kSectionCompressed = 0x800;  // SHF_COMPRESSED
constexpr uint32_t kCompressZlib = 1;           // ELFCOMPRESS_ZLIB
constexpr uint32_t kNoteBuildId = 3;            // NT_GNU_BUILD_ID
constexpr uint32_t kSectionNoBits = 8;          // SHT_NOBITS
constexpr size_t kHeaderSize = 64;
constexpr size_t kSectionHeaderSize = 64;
constexpr size_t kCompressionHeaderSize = 24;

template <typename T>
T load(const uint8_t* p) {
  T value;
  platform::copy_bytes(&value, p, sizeof(T));
  return value;
}

}  // namespace

ElfFile::~ElfFile() { close(); }

void ElfFile::close() {
  if (fd_ >= 0) VG_(close)(fd_);
  fd_ = -1;
  sections_.clear();
  section_names_.clear();
}

bool ElfFile::read_at(uint64_t offset, void* out, uint64_t size) const {
  if (VG_(lseek)(fd_, static_cast<Off64T>(offset), VKI_SEEK_SET) < 0) return false;
  uint8_t* to = static_cast<uint8_t*>(out);
  while (size > 0) {
    Int chunk = size > (1u << 24) ? (1 << 24) : static_cast<Int>(size);
    Int got = VG_(read)(fd_, to, chunk);
    if (got <= 0) return false;
    to += got;
    size -= static_cast<uint64_t>(got);
  }
  return true;
}

bool ElfFile::open(const char* path) {
  close();
  SysRes opened = VG_(open)(path, VKI_O_RDONLY, 0);
  if (sr_isError(opened)) return false;
  fd_ = static_cast<int>(sr_Res(opened));
  uint8_t header[kHeaderSize];
  if (!read_at(0, header, kHeaderSize)) return false;
  // "\177ELF", 64-bit, little-endian.
  if (header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F' ||
      header[4] != 2 || header[5] != 1)
    return false;
  uint64_t table = load<uint64_t>(header + 0x28);
  uint32_t count = load<uint16_t>(header + 0x3c);
  uint32_t names_index = load<uint16_t>(header + 0x3e);
  if (load<uint16_t>(header + 0x3a) != kSectionHeaderSize || table == 0) return false;
  // Many sections: the real count and name-table index sit in section 0.
  uint8_t first[kSectionHeaderSize];
  if (!read_at(table, first, kSectionHeaderSize)) return false;
  if (count == 0) count = static_cast<uint32_t>(load<uint64_t>(first + 0x20));
  if (names_index == 0xffff) names_index = load<uint32_t>(first + 0x28);
  Vector<uint8_t> raw;
  raw.resize(static_cast<size_t>(count) * kSectionHeaderSize);
  if (!read_at(table, raw.data(), raw.size())) return false;
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* s = raw.data() + i * kSectionHeaderSize;
    sections_.push_back({load<uint32_t>(s), load<uint32_t>(s + 4), load<uint64_t>(s + 8),
                         load<uint64_t>(s + 0x18), load<uint64_t>(s + 0x20)});
  }
  if (names_index >= count) return false;
  const Section& names = sections_[names_index];
  section_names_.resize(names.size + 1);
  if (!read_at(names.offset, section_names_.data(), names.size)) return false;
  section_names_[names.size] = '\0';
  return true;
}

const ElfFile::Section* ElfFile::find(const char* name) const {
  for (const Section& s : sections_)
    if (s.name < section_names_.size() && strings_equal(&section_names_[s.name], name))
      return &s;
  return nullptr;
}

bool ElfFile::has_section(const char* name) const {
  const Section* s = find(name);
  return s != nullptr && s->type != kSectionNoBits && s->size > 0;
}

bool ElfFile::read_section(const char* name, Vector<uint8_t>* out) const {
  const Section* s = find(name);
  if (s == nullptr || s->type == kSectionNoBits) return false;
  Vector<uint8_t> raw;
  raw.resize(s->size);
  if (!read_at(s->offset, raw.data(), s->size)) return false;
  if (!(s->flags & kSectionCompressed)) {
    *out = std::move(raw);
    return true;
  }
  if (raw.size() < kCompressionHeaderSize || load<uint32_t>(raw.data()) != kCompressZlib)
    return false;
  uint64_t size = load<uint64_t>(raw.data() + 8);
  out->resize(size);
  return zlib_inflate(raw.data() + kCompressionHeaderSize,
                      raw.size() - kCompressionHeaderSize, out->data(), size);
}

bool ElfFile::build_id(Vector<char>* hex) const {
  Vector<uint8_t> note;
  if (!read_section(".note.gnu.build-id", &note) || note.size() < 16) return false;
  uint32_t name_size = load<uint32_t>(note.data());
  uint32_t desc_size = load<uint32_t>(note.data() + 4);
  uint32_t type = load<uint32_t>(note.data() + 8);
  size_t desc = 12 + ((name_size + 3) & ~3u);
  if (type != kNoteBuildId || desc + desc_size > note.size()) return false;
  static const char kDigits[] = "0123456789abcdef";
  hex->clear();
  for (uint32_t i = 0; i < desc_size; ++i) {
    hex->push_back(kDigits[note[desc + i] >> 4]);
    hex->push_back(kDigits[note[desc + i] & 15]);
  }
  hex->push_back('\0');
  return true;
}

bool ElfFile::debug_link(Vector<char>* name) const {
  Vector<uint8_t> link;
  if (!read_section(".gnu_debuglink", &link)) return false;
  name->clear();
  for (uint8_t c : link) {
    if (c == 0) break;
    name->push_back(static_cast<char>(c));
  }
  name->push_back('\0');
  return name->size() > 1;
}

}  // namespace unstuck::argdist
