// The taint sources of a run: files, stdin, network connections, the
// program's arguments and environment, and ranges named by client
// requests.  Each is a source of shared/shadow's label sets (its id is the
// label sets' SourceId); this registry adds what the output reports about
// it: its kind, which of its bytes were labelled, and named parts (the
// arguments inside "argv", the variables inside "env").
#pragma once

#include <stdint.h>

#include "shared/shadow/label_sets.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::taint {

using shadow::LabelSetId;
using shadow::SourceId;

enum class SourceKind { kFile, kStdin, kNet, kArgv, kEnv, kClientRequest };

const char* source_kind_name(SourceKind kind);

// The source called `name` (copied), registered on first use.
SourceId source_for(SourceKind kind, const char* name);

// Bytes [start, end) of `source` were given labels.
void note_labelled(SourceId source, uint64_t start, uint64_t end);
// A named part of a source: "argv[1]" is [10, 14) of "argv".
void add_part(SourceId source, const char* name, uint64_t start, uint64_t end);

struct SourcePart {
  const char* name;
  uint64_t start;
  uint64_t end;
};

SourceKind source_kind(SourceId source);
// The union of every range labelled so far.
LabelSetId labelled_ranges(SourceId source);
// One past the highest offset labelled.
uint64_t source_extent(SourceId source);
size_t part_count(SourceId source);
const SourcePart& part(SourceId source, size_t index);
size_t source_count();

}  // namespace unstuck::taint
