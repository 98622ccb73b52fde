#include "tools/taint/sources.h"

#include "shared/rt/arena.h"
#include "shared/rt/vector.h"
#include "tools/taint/labels.h"

namespace unstuck::taint {
namespace {

struct SourceInfo {
  SourceKind kind;
  LabelSetId labelled;
  uint64_t extent;
  Vector<SourcePart> parts;
};

// Indexed by SourceId; built on first use (no global constructors).
Vector<SourceInfo*>* g_sources = nullptr;
Arena* g_names = nullptr;

Vector<SourceInfo*>& sources() {
  if (g_sources == nullptr) {
    g_sources = new Vector<SourceInfo*>();
    g_names = new Arena();
  }
  return *g_sources;
}

SourceInfo& info(SourceId source) { return *sources()[source]; }

const char* copy_name(const char* name) {
  SizeT n = VG_(strlen)(name);
  char* copy = static_cast<char*>(g_names->allocate(n + 1, 1));
  VG_(memcpy)(copy, name, n + 1);
  return copy;
}

}  // namespace

const char* source_kind_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::kFile: return "file";
    case SourceKind::kStdin: return "stdin";
    case SourceKind::kNet: return "net";
    case SourceKind::kArgv: return "argv";
    case SourceKind::kEnv: return "env";
    case SourceKind::kClientRequest: return "client-request";
  }
  return "?";
}

SourceId source_for(SourceKind kind, const char* name) {
  shadow::LabelSets& sets = label_sets();
  for (SourceId id = 0; id < sets.source_count(); ++id)
    if (VG_(strcmp)(sets.source_name(id), name) == 0 && info(id).kind == kind)
      return id;
  SourceId id = sets.add_source(name);
  SourceInfo* fresh = new SourceInfo{kind, shadow::kEmptyLabelSet, 0, {}};
  sources().push_back(fresh);
  UNSTUCK_CHECK(sources().size() == id + 1);
  return id;
}

void note_labelled(SourceId source, uint64_t start, uint64_t end) {
  if (start >= end) return;
  SourceInfo& s = info(source);
  shadow::LabelSets& sets = label_sets();
  s.labelled = sets.union_of(s.labelled, sets.single(source, start, end));
  if (end > s.extent) s.extent = end;
}

void add_part(SourceId source, const char* name, uint64_t start, uint64_t end) {
  info(source).parts.push_back(SourcePart{copy_name(name), start, end});
}

SourceKind source_kind(SourceId source) { return info(source).kind; }
LabelSetId labelled_ranges(SourceId source) { return info(source).labelled; }
uint64_t source_extent(SourceId source) { return info(source).extent; }
size_t part_count(SourceId source) { return info(source).parts.size(); }
const SourcePart& part(SourceId source, size_t index) {
  return info(source).parts[index];
}
size_t source_count() { return sources().size(); }

}  // namespace unstuck::taint
