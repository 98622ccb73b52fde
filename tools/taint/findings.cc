#include "tools/taint/findings.h"

#include "shared/rt/arena.h"
#include "shared/rt/hash.h"
#include "shared/rt/hash_map.h"
#include "tools/taint/options.h"

extern "C" {
#include "pub_tool_debuginfo.h"
#include "pub_tool_stacktrace.h"
}

namespace unstuck::taint {
namespace {

constexpr uint32_t kMaxFrames = 8;

struct Key {
  Addr pc;
  const char* detail;
  LabelSetId labels;
  SinkKind kind;
  bool operator==(const Key& o) const {
    return pc == o.pc && detail == o.detail && labels == o.labels && kind == o.kind;
  }
};
// One mix of a cheap combination: every occurrence at a sink whose labels
// changed hashes its key, so four chained mixes cost as much as the rest.
struct KeyHash {
  uint64_t operator()(const Key& k) const {
    uint64_t x = k.pc * 0x9e3779b97f4a7c15ULL;
    x ^= (uint64_t{k.labels} << 8) | static_cast<uint64_t>(k.kind);
    x ^= reinterpret_cast<uint64_t>(k.detail) * 0xc2b2ae3d27d4eb4fULL;
    return mix64(x);
  }
};

struct Text {
  const char* s;
  bool operator==(const Text& o) const { return VG_(strcmp)(s, o.s) == 0; }
};
struct TextKeyHash {
  uint64_t operator()(const Text& t) const { return hash_bytes(t.s, VG_(strlen)(t.s)); }
};

// One bit per hash value of the keys in the index.  Once --max-findings is
// reached nearly every occurrence at a site whose labels keep changing
// (gzip's branches on input bytes) is a new key: a clear bit says so
// without a probe into the index, whose slots do not stay in the cache.
// That probe was 11% of the run on tainted gzip.  2^17 bits (16 KB) stay
// in the first-level cache; with the default 10,000 findings, 1 lookup in
// 13 still probes.
constexpr unsigned kFilterBits = 17;
class KeyFilter {
 public:
  KeyFilter() : words_(new uint64_t[kWords]()) {}
  void add(uint64_t hash) { words_[word(hash)] |= bit(hash); }
  bool may_contain(uint64_t hash) const { return (words_[word(hash)] & bit(hash)) != 0; }

 private:
  static constexpr size_t kWords = (size_t{1} << kFilterBits) / 64;
  static size_t word(uint64_t hash) { return (hash >> 6) & (kWords - 1); }
  static uint64_t bit(uint64_t hash) { return uint64_t{1} << (hash & 63); }
  uint64_t* words_;
};

struct Store {
  Vector<Finding> findings;
  HashMap<Key, uint32_t, KeyHash> index;
  KeyFilter filter;
  HashMap<Text, const char*, TextKeyHash> texts;
  Arena arena;
  uint64_t occurrences[kSinkKinds];
  uint64_t dropped;
  uint64_t times_kept;
};
Store* g_store = nullptr;

const char* intern_text(const char* text) {
  if (text == nullptr) return nullptr;
  if (const char* const* known = g_store->texts.find(Text{text})) return *known;
  SizeT n = VG_(strlen)(text);
  char* copy = static_cast<char*>(g_store->arena.allocate(n + 1, 1));
  VG_(memcpy)(copy, text, n + 1);
  g_store->texts.insert(Text{copy}, copy);
  return copy;
}

void describe(StackFrame& frame, DiEpoch epoch) {
  const HChar* name = nullptr;
  frame.function = VG_(get_fnname)(epoch, frame.pc, &name) ? intern_text(name) : nullptr;
  const HChar* file = nullptr;
  const HChar* dir = nullptr;
  UInt line = 0;
  if (VG_(get_filename_linenum)(epoch, frame.pc, &file, &dir, &line)) {
    frame.file = intern_text(file);
    frame.line = line;
  } else {
    frame.file = nullptr;
    frame.line = 0;
  }
}

// The call stack of `tid`, with the sink's own address as frame 0: the
// guest program counter is only up to date at memory accesses, but the
// stack and frame pointers the unwinder starts from are consistent with
// it, so the callers are right.
void capture_stack(Finding& f, ThreadId tid) {
  Addr ips[kMaxFrames];
  UInt n = VG_(get_StackTrace)(tid, ips, kMaxFrames, nullptr, nullptr, 0);
  if (n == 0) n = 1;
  ips[0] = f.pc;
  f.frames = g_store->arena.make_array<StackFrame>(n);
  f.frame_count = n;
  DiEpoch epoch = VG_(current_DiEpoch)();
  for (UInt i = 0; i < n; ++i) {
    // An unwinder lost in data: stop before frames outside code.
    if (i > 0 && !VG_(am_is_valid_for_client)(ips[i], 1, VKI_PROT_EXEC)) {
      f.frame_count = i;
      break;
    }
    f.frames[i].pc = ips[i];
    describe(f.frames[i], epoch);
    // As in Valgrind's own stack traces: nothing below main is shown.
    const char* name = f.frames[i].function;
    if (name != nullptr && (VG_(strcmp)(name, "(below main)") == 0 ||
                            VG_(get_fnname_kind)(name) == Vg_FnNameBelowMain)) {
      f.frame_count = i + 1;
      break;
    }
  }
}

bool room_for_more() {
  const Options& o = options();
  uint64_t used = o.all_times ? g_store->times_kept : g_store->findings.size();
  return used < o.max_findings;
}

void add_time(Finding& f, uint64_t time) {
  if (f.times == nullptr || !room_for_more()) return;
  f.times->push_back(time);
  ++g_store->times_kept;
}

}  // namespace

const char* sink_kind_name(SinkKind kind) {
  switch (kind) {
    case SinkKind::kBranch: return "branch";
    case SinkKind::kJump: return "jump";
    case SinkKind::kCall: return "call";
    case SinkKind::kSyscall: return "syscall";
    case SinkKind::kAddress: return "address";
    case SinkKind::kFunction: return "function";
    case SinkKind::kCheck: return "check";
  }
  return "?";
}

void install_findings() {
  g_store = new Store();
  for (uint64_t& n : g_store->occurrences) n = 0;
  g_store->dropped = 0;
  g_store->times_kept = 0;
}

const char* intern_detail(const char* text) { return intern_text(text); }

void report_finding(SinkKind kind, const char* detail, LabelSetId labels, Addr pc,
                    uint64_t time, ThreadId tid, FindingCache* cache) {
  ++g_store->occurrences[static_cast<int>(kind)];
  uint32_t index;
  if (cache != nullptr && cache->labels == labels && labels != kEmptyLabelSet) {
    index = cache->index;
  } else {
    Key key{pc, detail, labels, kind};
    const uint64_t hash = KeyHash()(key);
    const uint32_t* known = nullptr;
    if (g_store->filter.may_contain(hash)) known = g_store->index.find(key);
    if (known != nullptr) {
      index = *known;
    } else if (!room_for_more()) {
      index = kNotKept;
    } else {
      index = static_cast<uint32_t>(g_store->findings.size());
      Finding& f = g_store->findings.emplace_back();
      f = Finding{kind, detail, labels, pc, time, timeline::thread_number(tid), 0,
                  nullptr, 0, nullptr};
      if (options().all_times) f.times = new Vector<uint64_t>();
      capture_stack(f, tid);
      g_store->index.insert(key, index);
      g_store->filter.add(hash);
    }
    if (cache != nullptr) *cache = FindingCache{labels, index};
  }
  if (index == kNotKept) {
    ++g_store->dropped;
    return;
  }
  Finding& f = g_store->findings[index];
  ++f.count;
  add_time(f, time);
}

void add_repeats(SinkKind kind, const FindingCache& cache, uint64_t n) {
  if (n == 0) return;
  g_store->occurrences[static_cast<int>(kind)] += n;
  if (cache.index == kNotKept) g_store->dropped += n;
  else g_store->findings[cache.index].count += n;
}

size_t finding_count() { return g_store->findings.size(); }
const Finding& finding(size_t index) { return g_store->findings[index]; }
uint64_t occurrences(SinkKind kind) { return g_store->occurrences[static_cast<int>(kind)]; }
uint64_t dropped_occurrences() { return g_store->dropped; }

}  // namespace unstuck::taint
