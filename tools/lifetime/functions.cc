#include "tools/lifetime/functions.h"

#include "shared/rt/hash.h"
#include "shared/rt/hash_map.h"
#include "shared/rt/string_builder.h"
#include "shared/rt/vector.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {
namespace {

// A name owned by the table, hashed by content.
struct Name {
  const char* text;
  bool operator==(const Name& other) const { return strings_equal(text, other.text); }
};
struct NameHash {
  uint64_t operator()(const Name& name) const {
    return mix64(hash_bytes(name.text, string_length(name.text)));
  }
};

HashMap<Name, uint32_t, NameHash>* g_ids = nullptr;
Vector<const char*>* g_names = nullptr;
HashMap<uint64_t, uint32_t>* g_by_ip = nullptr;  // instruction -> id

char* copy_text(const char* text) {
  size_t n = string_length(text);
  char* copy = new char[n + 1];
  for (size_t i = 0; i <= n; ++i) copy[i] = text[i];
  return copy;
}

uint32_t intern(const char* text) {
  if (const uint32_t* id = g_ids->find(Name{text})) return *id;
  const char* owned = copy_text(text);
  uint32_t id = static_cast<uint32_t>(g_names->size());
  g_names->push_back(owned);
  g_ids->insert(Name{owned}, id);
  return id;
}

}  // namespace

void install_functions() {
  g_ids = new HashMap<Name, uint32_t, NameHash>();
  g_names = new Vector<const char*>();
  g_by_ip = new HashMap<uint64_t, uint32_t>();
  intern("???");
}

uint32_t function_at(Addr ip) {
  if (const uint32_t* known = g_by_ip->find(ip)) return *known;
  const DiEpoch epoch = VG_(current_DiEpoch)();
  const HChar* name = nullptr;
  uint32_t id;
  if (VG_(get_fnname)(epoch, ip, &name)) {
    id = intern(name);
  } else {
    const HChar* object = nullptr;
    StringBuilder text;
    text.append("??? (");
    text.append(VG_(get_objname)(epoch, ip, &object) ? VG_(basename)(object) : "?");
    text.append(")");
    id = intern(text.c_str());
  }
  g_by_ip->insert(ip, id);
  return id;
}

uint32_t function_named(const char* name) { return intern(name); }

const char* function_name(uint32_t id) {
  return id < g_names->size() ? (*g_names)[id] : "???";
}

}  // namespace unstuck::lifetime
