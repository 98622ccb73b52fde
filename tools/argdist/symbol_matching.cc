#include "tools/argdist/symbol_matching.h"

#include "shared/rt/string_builder.h"
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

bool pattern_matches(const char* name, const SymbolPlace& place) {
  for (const FunctionPattern& p : *options().patterns)
    if (name_matches(p.name, name) && (p.scope == nullptr || scope_matches(p.scope, place)))
      return true;
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
