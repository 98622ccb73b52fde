#include "tools/argdist/debug_file.h"

#include "shared/rt/string_builder.h"
#include "tools/argdist/elf_file.h"

namespace unstuck::argdist {
namespace {

constexpr const char* kDebugRoot = "/usr/lib/debug";

bool open_with_dwarf(const char* path, ElfFile* file) {
  return file->open(path) && file->has_section(".debug_info");
}

void folder_of(const char* path, StringBuilder* folder) {
  size_t n = string_length(path), slash = 0;
  for (size_t i = 0; i < n; ++i)
    if (path[i] == '/') slash = i;
  folder->append(path, slash);
}

bool open_by_build_id(const ElfFile& object, ElfFile* file) {
  Vector<char> id;
  if (!object.build_id(&id) || id.size() < 4) return false;
  StringBuilder path;
  path.append(kDebugRoot).append("/.build-id/").append(id.data(), 2).append('/');
  path.append(id.data() + 2).append(".debug");
  return open_with_dwarf(path.c_str(), file);
}

bool open_by_debug_link(const char* object_path, const ElfFile& object,
                        ElfFile* file) {
  Vector<char> name;
  if (!object.debug_link(&name)) return false;
  StringBuilder folder;
  folder_of(object_path, &folder);
  const char* places[] = {"", "/.debug", nullptr};
  for (int i = 0; i < 3; ++i) {
    StringBuilder path;
    if (places[i] == nullptr) path.append(kDebugRoot);
    path.append(folder.c_str());
    if (places[i] != nullptr) path.append(places[i]);
    path.append('/').append(name.data());
    if (open_with_dwarf(path.c_str(), file)) return true;
  }
  return false;
}

void read_sections(const ElfFile& file, DwarfSections* s) {
  file.read_section(".debug_info", &s->info);
  file.read_section(".debug_abbrev", &s->abbrev);
  file.read_section(".debug_str", &s->str);
  file.read_section(".debug_line_str", &s->line_str);
  file.read_section(".debug_str_offsets", &s->str_offsets);
  file.read_section(".debug_addr", &s->addr);
  file.read_section(".debug_ranges", &s->ranges);
  file.read_section(".debug_rnglists", &s->rnglists);
}

}  // namespace

bool load_debug_sections(const char* object_path, DwarfSections* sections) {
  ElfFile object;
  if (!object.open(object_path)) return false;
  if (object.has_section(".debug_info")) {
    read_sections(object, sections);
    return !sections->info.empty();
  }
  ElfFile debug;
  if (!open_by_build_id(object, &debug) &&
      !open_by_debug_link(object_path, object, &debug))
    return false;
  read_sections(debug, sections);
  return !sections->info.empty();
}

}  // namespace unstuck::argdist
