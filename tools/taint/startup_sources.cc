#include "tools/taint/startup_sources.h"

#include "shared/rt/string_builder.h"
#include "shared/vg/core_events.h"
#include "tools/taint/client_memory.h"
#include "tools/taint/options.h"
#include "tools/taint/shadow_state.h"
#include "tools/taint/sources.h"

namespace unstuck::taint {
namespace {

constexpr uint64_t kMaxString = 1 << 20;
bool g_done = false;

// Labels the strings of a NULL-terminated pointer array; returns the
// address after its NULL.
const Addr* label_strings(const Addr* strings, SourceKind kind, const char* source_name,
                          bool tainted, bool name_by_index) {
  SourceId source = tainted ? source_for(kind, source_name) : 0;
  uint64_t offset = 0;
  size_t i = 0;
  for (; is_readable(reinterpret_cast<Addr>(&strings[i]), sizeof(Addr)) && strings[i] != 0;
       ++i) {
    if (!tainted) continue;
    Addr s = strings[i];
    uint64_t n = string_bytes(s, kMaxString);
    if (n == 0) continue;
    label_memory_bytes(s, n, source, offset);
    StringBuilder part;
    if (name_by_index) {
      part.append(source_name).append('[').append_unsigned(i).append(']');
    } else {
      const char* text = reinterpret_cast<const char*>(s);
      const char* equals = VG_(strchr)(text, '=');
      part.append(text, equals != nullptr ? static_cast<size_t>(equals - text) : n - 1);
    }
    add_part(source, part.c_str(), offset, offset + n - 1);
    offset += n;
  }
  return &strings[i + 1];
}

void on_start(ThreadId tid, ULong) {
  if (g_done) return;
  g_done = true;
  const Options& o = options();
  if (!o.taint_argv && !o.taint_env) return;
  Addr sp = VG_(get_SP)(tid);
  if (!is_readable(sp, sizeof(Addr))) return;
  const Addr* argv = reinterpret_cast<const Addr*>(sp + sizeof(Addr));
  const Addr* envp = label_strings(argv, SourceKind::kArgv, "argv", o.taint_argv, true);
  label_strings(envp, SourceKind::kEnv, "env", o.taint_env, false);
}

}  // namespace

void install_startup_sources() { core_events::on_start_client_code(on_start); }

}  // namespace unstuck::taint
