#include "tools/argdist/pointer_kinds.h"

#include "shared/rt/hash_map.h"
#include "shared/rt/string_builder.h"
#include "shared/rt/vector.h"
#include "shared/vg/core_events.h"
#include "tools/argdist/heap_blocks.h"

namespace unstuck::argdist {
namespace {

struct Range {
  Addr start;
  Addr end;  // exclusive
};

// Classifying a pointer is on the hot path of every traced call with one,
// so answers are cached per page.  Stacks are checked first (each
// thread's whole stack, refreshed when the thread starts running), since
// they are anonymous memory like the heap; the rest depends on the
// address space only, and a generation number, bumped by every mapping
// change, drops stale pages.
constexpr size_t kCachedPages = 4096;  // a power of two
struct CachedPage {
  Addr page;
  uint32_t generation;
  PointerKind kind;
};
CachedPage* g_pages = nullptr;
uint32_t g_generation = 1;

Vector<Range>* g_stacks = nullptr;  // by ThreadId; empty ranges for none

// The kind of each file mapping met so far (keyed by the segment's
// start), and the loaded objects' .bss ranges (anonymous memory that
// holds globals), for the slow path.
HashMap<Addr, PointerKind>* g_file_segment_kinds = nullptr;
Vector<Range>* g_bss_ranges = nullptr;
bool g_bss_ranges_stale = true;

void forget_address_space() {
  ++g_generation;
  g_file_segment_kinds->clear();
  g_bss_ranges_stale = true;
}

void on_mmap(Addr, SizeT, Bool, Bool, Bool, ULong) { forget_address_space(); }
void on_munmap(Addr, SizeT) { forget_address_space(); }
void on_remap(Addr, Addr, SizeT) { forget_address_space(); }
void on_mprotect(Addr, SizeT, Bool, Bool, Bool) { forget_address_space(); }
void on_brk(Addr, SizeT, ThreadId) { forget_address_space(); }
void on_die_brk(Addr, SizeT) { forget_address_space(); }

Range& stack_range(ThreadId tid) {
  while (g_stacks->size() <= tid) g_stacks->push_back({0, 0});
  return (*g_stacks)[tid];
}

void on_start_client_code(ThreadId tid, ULong /*blocks_done*/) {
  Addr top = VG_(thread_get_stack_max)(tid);
  SizeT size = VG_(thread_get_stack_size)(tid);
  stack_range(tid) = {top + 1 - size, top + 1};
}

void on_thread_exit(ThreadId tid) { stack_range(tid) = {0, 0}; }

bool in_a_stack(Addr a) {
  for (const Range& r : *g_stacks)
    if (a >= r.start && a < r.end) return true;
  return false;
}

void collect_bss_ranges() {
  g_bss_ranges->clear();
  for (const DebugInfo* di = VG_(next_DebugInfo)(nullptr); di != nullptr;
       di = VG_(next_DebugInfo)(di)) {
    SizeT size = VG_(DebugInfo_get_bss_size)(di);
    if (size == 0) continue;
    Addr start = VG_(DebugInfo_get_bss_avma)(di);
    g_bss_ranges->push_back({start, start + size});
  }
  g_bss_ranges_stale = false;
}

bool in_bss(Addr a) {
  if (g_bss_ranges_stale) collect_bss_ranges();
  for (const Range& r : *g_bss_ranges)
    if (a >= r.start && a < r.end) return true;
  return false;
}

// A non-executable file mapping holds globals when the file is a loaded
// object (its data or read-only data), anything else is a mapped file.
PointerKind file_segment_kind(const NSegment* segment) {
  if (PointerKind* known = g_file_segment_kinds->find(segment->start))
    return *known;
  PointerKind kind = PointerKind::kFile;
  const HChar* path = VG_(am_get_filename)(segment);
  for (const DebugInfo* di = VG_(next_DebugInfo)(nullptr);
       path != nullptr && di != nullptr; di = VG_(next_DebugInfo)(di)) {
    const HChar* object = VG_(DebugInfo_get_filename)(di);
    if (object != nullptr && strings_equal(object, path)) {
      kind = PointerKind::kGlobal;
      break;
    }
  }
  g_file_segment_kinds->insert(segment->start, kind);
  return kind;
}

}  // namespace

const char* pointer_kind_name(PointerKind kind) {
  switch (kind) {
    case PointerKind::kNull: return "null";
    case PointerKind::kStack: return "stack";
    case PointerKind::kHeap: return "heap";
    case PointerKind::kGlobal: return "global";
    case PointerKind::kCode: return "code";
    case PointerKind::kFile: return "file";
    case PointerKind::kUnmapped: return "unmapped";
  }
  return "?";
}

void install_pointer_kinds() {
  g_pages = new CachedPage[kCachedPages]();
  g_stacks = new Vector<Range>();
  g_file_segment_kinds = new HashMap<Addr, PointerKind>();
  g_bss_ranges = new Vector<Range>();
  core_events::on_new_mem_mmap(on_mmap);
  core_events::on_die_mem_munmap(on_munmap);
  core_events::on_copy_mem_remap(on_remap);
  core_events::on_change_mem_mprotect(on_mprotect);
  core_events::on_new_mem_brk(on_brk);
  core_events::on_die_mem_brk(on_die_brk);
  core_events::on_start_client_code(on_start_client_code);
  core_events::on_thread_exit(on_thread_exit);
}

namespace {

// Everything but stacks, from the address space.
PointerKind classify_mapped(Addr a) {
  const NSegment* segment = VG_(am_find_nsegment)(a);
  if (segment == nullptr) return PointerKind::kUnmapped;
  switch (segment->kind) {
    case SkAnonC:
      // Not code even when executable: Valgrind maps the brk heap
      // read-write-execute.
      return in_bss(a) ? PointerKind::kGlobal : PointerKind::kHeap;
    case SkFileC:
      if (segment->hasX) return PointerKind::kCode;
      return file_segment_kind(segment);
    case SkShmC:
      return PointerKind::kFile;
    default:
      return PointerKind::kUnmapped;
  }
}

}  // namespace

PointerKind classify_pointer(Addr a) {
  if (a == 0) return PointerKind::kNull;
  if (in_a_stack(a)) return PointerKind::kStack;
  Addr page = a >> 12;
  CachedPage& cached = g_pages[page & (kCachedPages - 1)];
  if (cached.page != page || cached.generation != g_generation)
    cached = {page, g_generation, classify_mapped(a)};
  return cached.kind;
}

void PointerKindCounts::add(Addr address) {
  PointerKind kind = classify_pointer(address);
  ++counts[static_cast<int>(kind)];
  HeapBlock block;
  if (kind != PointerKind::kHeap || !find_heap_block(address, &block)) return;
  block_sizes.add(block.size, ValueKind::kUnsigned);
  if (address != block.start) ++interior;
}

}  // namespace unstuck::argdist
