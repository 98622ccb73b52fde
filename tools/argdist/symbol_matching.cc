#include "tools/argdist/symbol_matching.h"

#include "shared/rt/hash.h"
#include "shared/rt/hash_map.h"
#include "shared/rt/string_builder.h"
#include "shared/rt/vector.h"
#include "tools/argdist/options.h"
#include "tools/argdist/text_utils.h"

namespace unstuck::argdist {
namespace {

// Matches `glob` against name[0, n).
bool prefix_matches(const char* glob, const char* name, size_t n) {
  char* prefix = copy_text(name, n);
  bool matched = VG_(string_match)(glob, prefix);
  delete[] prefix;
  return matched;
}

// Where a name's decorations start: a version ("memcpy@@GLIBC_2.14"), or a
// C++ parameter list ("ns::f(int) const"); the length of the whole name
// when it has none.
size_t undecorated_length(const char* name) {
  size_t n = 0;
  while (name[n] != '\0' && name[n] != '@' && name[n] != '(') ++n;
  return n;
}

bool name_matches(const char* glob, const char* name) {
  if (VG_(string_match)(glob, name)) return true;
  size_t n = undecorated_length(name);
  return n > 0 && name[n] != '\0' && prefix_matches(glob, name, n);
}

bool scope_matches(const char* scope, const SymbolPlace& place) {
  if (place.soname != nullptr && VG_(string_match)(scope, place.soname)) return true;
  if (VG_(string_match)(scope, place.object_path)) return true;
  if (VG_(string_match)(scope, base_name(place.object_path))) return true;
  const HChar* file = nullptr;
  if (!VG_(get_filename)(VG_(current_DiEpoch)(), place.address, &file)) return false;
  return VG_(string_match)(scope, file) || VG_(string_match)(scope, base_name(file));
}

bool in_scope(const FunctionPattern& p, const SymbolPlace& place) {
  return p.scope == nullptr || scope_matches(p.scope, place);
}

// The patterns whose name has no glob character, by the hash of that
// name, and the others: a symbol's name (and its undecorated name) is
// looked up instead of matched against each exact pattern in turn (100
// exact names against python3's and libc's 15,000 symbols took 70 ms at
// every start).
struct PatternIndex {
  HashMap<uint64_t, Vector<const FunctionPattern*>> exact;
  Vector<const FunctionPattern*> globs;
};
PatternIndex* g_pattern_index = nullptr;

bool has_glob_character(const char* text) {
  for (; *text != '\0'; ++text)
    if (*text == '*' || *text == '?' || *text == '\\') return true;
  return false;
}

const PatternIndex& pattern_index() {
  if (g_pattern_index != nullptr) return *g_pattern_index;
  g_pattern_index = new PatternIndex();
  for (const FunctionPattern& p : *options().patterns) {
    if (has_glob_character(p.name))
      g_pattern_index->globs.push_back(&p);
    else
      g_pattern_index->exact[hash_bytes(p.name, VG_(strlen)(p.name))].push_back(&p);
  }
  return *g_pattern_index;
}

// An exact pattern for name[0, n) that applies here.
bool exact_pattern_matches(const PatternIndex& index, const char* name, size_t n,
                           const SymbolPlace& place) {
  const Vector<const FunctionPattern*>* same_hash = index.exact.find(hash_bytes(name, n));
  if (same_hash == nullptr) return false;
  for (const FunctionPattern* p : *same_hash)
    if (VG_(strncmp)(p->name, name, n) == 0 && p->name[n] == '\0' && in_scope(*p, place))
      return true;
  return false;
}

bool pattern_matches(const char* name, const SymbolPlace& place) {
  const PatternIndex& index = pattern_index();
  const size_t undecorated = undecorated_length(name);
  if (exact_pattern_matches(index, name, VG_(strlen)(name), place)) return true;
  if (undecorated > 0 && name[undecorated] != '\0' &&
      exact_pattern_matches(index, name, undecorated, place))
    return true;
  for (const FunctionPattern* p : index.globs)
    if (name_matches(p->name, name) && in_scope(*p, place)) return true;
  return false;
}

bool object_selected(const SymbolPlace& place) {
  for (const char* glob : *options().objects) {
    if (place.soname != nullptr && VG_(string_match)(glob, place.soname)) return true;
    if (VG_(string_match)(glob, base_name(place.object_path))) return true;
  }
  return false;
}

// Copies a demangled name without its version suffix (which says which
// of several definitions it is, not what it is called).
const char* report_name(const char* name) {
  size_t n = 0;
  while (name[n] != '\0' && name[n] != '@') ++n;
  return copy_text(name, n);
}

template <typename Fn>
const char* first_name(const SymbolNames& s, Fn&& wanted) {
  for (int i = -1; i < 0 || (s.aliases != nullptr && s.aliases[i] != nullptr); ++i) {
    const HChar* mangled = i < 0 ? s.primary : s.aliases[i];
    const HChar* name = nullptr;
    VG_(demangle)(True, False, mangled, &name);
    if (wanted(name)) return report_name(name);
  }
  return nullptr;
}

}  // namespace

const char* selected_name(const SymbolNames& symbol, const SymbolPlace& place) {
  const char* name =
      first_name(symbol, [&place](const char* n) { return pattern_matches(n, place); });
  if (name == nullptr && symbol.global && object_selected(place))
    name = first_name(symbol, [](const char*) { return true; });
  return name;
}

AllocatorRole allocator_role_of(const SymbolNames& symbol, const char** name) {
  AllocatorRole role = AllocatorRole::kNone;
  if (!symbol.global) return role;
  *name = first_name(symbol, [&role](const char* n) {
    size_t length = undecorated_length(n);
    char* bare = copy_text(n, length);
    role = allocator_role(bare);
    delete[] bare;
    return role != AllocatorRole::kNone;
  });
  return role;
}

}  // namespace unstuck::argdist
