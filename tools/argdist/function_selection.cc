#include "tools/argdist/function_selection.h"

#include "shared/rt/hash_map.h"
#include "shared/rt/string_builder.h"
#include "tools/argdist/dwarf_signatures.h"
#include "tools/argdist/libc_prototypes.h"
#include "tools/argdist/options.h"
#include "tools/argdist/symbol_matching.h"
#include "tools/argdist/text_utils.h"


namespace unstuck::argdist {
namespace {

// An object file whose symbols have been read.  Valgrind may reuse a
// DebugInfo's memory for another object after an unmapping, so the path
// and text address tell whether the key still means this object.
struct ScannedObject {
  const char* path;
  Addr text_start;
};

HashMap<Addr, ScannedObject>* g_scanned = nullptr;  // by DebugInfo address
HashMap<Addr, FunctionRecord*>* g_entries = nullptr;
Vector<FunctionRecord*>* g_functions = nullptr;
bool g_warned_limit = false;
uint32_t g_reported = 0;  // functions the user selected (not allocators only)

// A symbol to trace: one the user selected, or an allocator followed for
// --heap-blocks only.  For an ifunc, `address` is its resolver's.
struct Candidate {
  const char* name;
  Addr address;
  bool reported;
  bool ifunc;
  AllocatorRole role;
};

bool room_for_another() {
  if (g_reported < options().max_functions) return true;
  if (!g_warned_limit) {
    VG_(umsg)("argdist: more functions match than --max-functions=%u; "
              "tracing the first %u.\n",
              options().max_functions, options().max_functions);
    g_warned_limit = true;
  }
  return false;
}

// gcc moves a function's unlikely paths to "f.cold" ("f(int) [clone
// .cold]"), which the function jumps to: a piece of f, not a function.
bool is_cold_part(const HChar* mangled) {
  for (const HChar* p = mangled; *p != '\0'; ++p) {
    if (p[0] != '.' || p[1] != 'c' || p[2] != 'o' || p[3] != 'l' || p[4] != 'd') continue;
    if (p[5] == '\0' || p[5] == '.') return true;
  }
  return false;
}

void find_candidates(const DebugInfo* di, const SymbolPlace& place,
                     Vector<Candidate>* out) {
  HashMap<Addr, bool> seen;
  Int count = VG_(DebugInfo_syms_howmany)(di);
  for (Int i = 0; i < count; ++i) {
    SymAVMAs avmas;
    SymbolNames names = {nullptr, nullptr, false};
    Bool is_text = False, is_ifunc = False, is_global = False;
    VG_(DebugInfo_syms_getidx)(di, i, &avmas, nullptr, &names.primary, &names.aliases,
                               &is_text, &is_ifunc, &is_global);
    names.global = is_global;
    if (!is_text || is_cold_part(names.primary) || g_entries->contains(avmas.main) ||
        seen.contains(avmas.main))
      continue;
    SymbolPlace here = place;
    here.address = avmas.main;
    const char* name = selected_name(names, here);
    const char* allocator_name = nullptr;
    AllocatorRole role = is_ifunc ? AllocatorRole::kNone
                                  : allocator_role_of(names, &allocator_name);
    if (name == nullptr && role == AllocatorRole::kNone) continue;
    seen.insert(avmas.main, true);
    if (name != nullptr)
      out->push_back({name, avmas.main, true, is_ifunc != 0, role});
    else
      out->push_back({allocator_name, avmas.main, false, false, role});
  }
}

void copy_signature(const Signature& from, Signature* to) {
  to->params.clear();
  for (const Parameter& p : from.params) to->params.push_back(p);
  to->result = from.result;
  to->result_source = from.result_source;
  to->origin = from.origin;
  to->variadic = from.variadic;
}

// DWARF first (the program's own truth), then the user's --signature,
// then glibc's known prototypes, then --args.  An ifunc's implementation
// is not known yet (and is usually assembly without DWARF): no DWARF.
void choose_signatures(const DebugInfo* di, const char* path,
                       Vector<FunctionRecord*>& records) {
  Vector<Addr> link_addresses;
  PtrdiffT bias = VG_(DebugInfo_get_text_bias)(di);
  bool dwarf_wanted = false;
  for (FunctionRecord* r : records) {
    link_addresses.push_back(r->entry - bias);
    dwarf_wanted |= r->resolver == nullptr && r->reported;
  }
  // A library's DWARF can take a tenth of a second to read: only when a
  // function will use it.
  Vector<Signature*> from_dwarf;
  if (dwarf_wanted)
    read_dwarf_signatures(path, link_addresses, &from_dwarf);
  else
    from_dwarf.resize(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    FunctionRecord* r = records[i];
    if (from_dwarf[i] != nullptr && r->resolver == nullptr) {
      copy_signature(*from_dwarf[i], &r->signature);
    } else if (const Signature* user = user_signature_for(r->name)) {
      copy_signature(*user, &r->signature);
    } else if (is_glibc_object(r->soname, r->object) && libc_prototype(r->name, &r->signature)) {
    } else {
      make_default_signature(&r->signature, options().default_args);
    }
    delete from_dwarf[i];
  }
}

void set_source_position(FunctionRecord* r) {
  const HChar *file = nullptr, *dir = nullptr;
  UInt line = 0;
  if (VG_(get_filename_linenum)(VG_(current_DiEpoch)(), r->entry, &file, &dir, &line)) {
    r->file = copy_text(file);
    r->line = line;
  }
}

FunctionRecord* new_record(const Candidate& c, const SymbolPlace& place) {
  FunctionRecord* r = new FunctionRecord();
  r->name = c.name;
  r->object = place.object_path;
  r->soname = place.soname;
  r->entry = c.address;
  r->reported = c.reported;
  r->allocator_role = c.role;
  set_source_position(r);
  return r;
}

// An ifunc: the function the user named is whatever its resolver returns;
// the resolver is followed (unreported) to learn that address.
FunctionRecord* new_resolver(FunctionRecord* ifunc) {
  FunctionRecord* resolver = new FunctionRecord();
  resolver->name = ifunc->name;
  resolver->object = ifunc->object;
  resolver->soname = ifunc->soname;
  resolver->entry = ifunc->entry;
  resolver->reported = false;
  resolver->allocator_role = AllocatorRole::kNone;
  resolver->resolves = ifunc;
  make_default_signature(&resolver->signature, 0);
  ifunc->resolver = resolver;
  ifunc->entry = 0;  // until resolved
  return resolver;
}

void add_entry(FunctionRecord* r) {
  g_functions->push_back(r);
  if (r->entry != 0) g_entries->insert(r->entry, r);
}

void scan_object(const DebugInfo* di) {
  SymbolPlace place;
  place.object_path = copy_text(VG_(DebugInfo_get_filename)(di));
  place.soname = copy_text(VG_(DebugInfo_get_soname)(di));
  place.address = 0;
  (*g_scanned)[reinterpret_cast<Addr>(di)] = {place.object_path, VG_(DebugInfo_get_text_avma)(di)};
  Vector<Candidate> candidates;
  find_candidates(di, place, &candidates);
  Vector<FunctionRecord*> records;
  for (Candidate c : candidates) {
    if (c.reported && !room_for_another()) {
      if (c.role == AllocatorRole::kNone) continue;
      c.reported = false;  // still followed for heap blocks
    }
    if (c.reported) ++g_reported;
    records.push_back(new_record(c, place));
    if (c.ifunc) new_resolver(records.back());
  }
  if (records.empty()) return;
  choose_signatures(di, place.object_path, records);
  for (FunctionRecord* r : records) {
    if (r->reported) start_aggregates(r);
    add_entry(r);
    if (r->resolver != nullptr) add_entry(r->resolver);
  }
}

bool already_scanned(const DebugInfo* di) {
  const ScannedObject* seen = g_scanned->find(reinterpret_cast<Addr>(di));
  return seen != nullptr && seen->text_start == VG_(DebugInfo_get_text_avma)(di) &&
         strings_equal(seen->path, VG_(DebugInfo_get_filename)(di));
}

}  // namespace

void install_selection() {
  g_scanned = new HashMap<Addr, ScannedObject>();
  g_entries = new HashMap<Addr, FunctionRecord*>();
  g_functions = new Vector<FunctionRecord*>();
}

void prepare_selection(Addr address) {
  const DebugInfo* di = VG_(find_DebugInfo)(VG_(current_DiEpoch)(), address);
  if (di != nullptr && !already_scanned(di)) scan_object(di);
}

FunctionRecord* traced_function_at(Addr address) {
  FunctionRecord** found = g_entries->find(address);
  if (found == nullptr) return nullptr;
  // An entry left by an object since unmapped is not the code there now.
  const DebugInfo* di = VG_(find_DebugInfo)(VG_(current_DiEpoch)(), address);
  if (di == nullptr || !strings_equal((*found)->object, VG_(DebugInfo_get_filename)(di)))
    return nullptr;
  return *found;
}

void ifunc_resolved(FunctionRecord* ifunc, Addr implementation) {
  if (implementation == 0) return;
  if (FunctionRecord** taken = g_entries->find(implementation)) {
    // memcpy and memmove may resolve to one implementation: its calls go
    // to whichever was selected (or resolved) first.
    if (*taken != ifunc && ifunc->shares_with == nullptr) ifunc->shares_with = *taken;
    return;
  }
  g_entries->insert(implementation, ifunc);
  if (ifunc->entry == 0) {
    ifunc->entry = implementation;
    const HChar* name = nullptr;
    if (VG_(get_fnname_if_entry)(VG_(current_DiEpoch)(), implementation, &name))
      ifunc->implementation = copy_text(name);
    set_source_position(ifunc);
  }
  // From generated code (the resolver's return): the translation discarded
  // is the resolved implementation's, never the one running.
  VG_(discard_translations)(implementation, 1, "argdist: an ifunc resolved");
}

const Vector<FunctionRecord*>& traced_functions() { return *g_functions; }

}  // namespace unstuck::argdist
