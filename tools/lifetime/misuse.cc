#include "tools/lifetime/misuse.h"

#include "shared/rt/hash_map.h"
#include "shared/timeline/thread_numbers.h"
#include "tools/lifetime/options.h"
#include "tools/lifetime/running_thread.h"
#include "tools/lifetime/sites.h"
#include "tools/lifetime/wrapper_protocol.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {
namespace {

// Printing stops after this many distinct contexts, as Valgrind's error
// manager does at 1000.
constexpr uint64_t kMaxContextsShown = 1000;

SiteTable* g_sites = nullptr;
HashMap<uint64_t, uint64_t>* g_contexts = nullptr;  // (stack, kind) -> count
uint64_t g_events = 0;
uint64_t g_shown = 0;

void keep_event(ShadowObject& object, const MisuseEvent& event) {
  ++object.misuse_counts[static_cast<int>(event.kind)];
  g_sites->misused(object.site, event.kind);
  ++g_events;
  if (object.misuse == nullptr) object.misuse = new Vector<MisuseEvent>();
  if (object.misuse->size() < kMisuseEventsKept) object.misuse->push_back(event);
}

// True the first time this kind of misuse comes from this stack.
bool first_from_context(Misuse kind, ExeContext* stack) {
  uint64_t key = (uint64_t{VG_(get_ECU_from_ExeContext)(stack)} << 2) |
                 static_cast<uint64_t>(kind);
  uint64_t& seen = (*g_contexts)[key];
  return seen++ == 0;
}

bool should_print(Misuse kind, ExeContext* stack) {
  if (!g_options.show_misuse || !first_from_context(kind, stack)) return false;
  if (g_shown == kMaxContextsShown)
    VG_(umsg)("More than %llu different misuses seen: no more are shown.\n\n",
              (ULong)kMaxContextsShown);
  return g_shown++ < kMaxContextsShown;
}

const char* where_in(const ShadowObject& object, int64_t offset, uint32_t size,
                     HChar* buffer, SizeT buffer_size) {
  if (offset < 0)
    VG_(snprintf)(buffer, buffer_size, "%lld bytes before", (Long)-offset);
  else if ((uint64_t)offset >= object.size)
    VG_(snprintf)(buffer, buffer_size, "%llu bytes after",
                  (ULong)((uint64_t)offset - object.size));
  else if ((uint64_t)offset + size > object.size)
    VG_(snprintf)(buffer, buffer_size, "%lld bytes inside (running past the end of)",
                  (Long)offset);
  else
    VG_(snprintf)(buffer, buffer_size, "%lld bytes inside", (Long)offset);
  return buffer;
}

void print_block_history(const ShadowObject& object) {
  if (object.free_time != kNever) {
    VG_(umsg)(" Block freed by %s at time %'llu (thread %u)\n",
              deallocation_kind_name(object.free_kind), (ULong)object.free_time,
              object.free_thread);
    if (object.free_stack != nullptr) VG_(pp_ExeContext)(object.free_stack);
  }
  VG_(umsg)(" Block allocated by %s at time %'llu (thread %u)\n",
            allocation_kind_name(object.alloc_kind), (ULong)object.alloc_time,
            object.alloc_thread);
  VG_(pp_ExeContext)(object.alloc_stack);
}

const char* headline(Misuse kind) {
  switch (kind) {
    case Misuse::kUseAfterFree: return "Use after free";
    case Misuse::kOutOfBounds: return "Access outside a block";
    case Misuse::kReadBeforeWrite: return "Read of bytes never written";
    case Misuse::kMismatchedFree: return "Mismatched free";
  }
  return "Misuse";
}

void print_access(const ShadowObject& object, const MisuseEvent& event) {
  VG_(umsg)("%s: %s of size %u at time %'llu (thread %u)\n", headline(event.kind),
            event.is_write ? "write" : "read", event.size, (ULong)event.time,
            event.thread);
  VG_(pp_ExeContext)(event.stack);
  HChar where[96];
  VG_(umsg)(" Address 0x%llx is %s a block of size %llu\n",
            (ULong)(object.base + event.offset),
            where_in(object, event.offset, event.size, where, sizeof where),
            (ULong)object.size);
  print_block_history(object);
  VG_(umsg)("\n");
}

// ---- A report held back --------------------------------------------------------
//
// glibc's thread exit empties the thread's cache of freed chunks outside any
// allocation function: it reads each chunk's link (the first word of a
// freed block) and then frees the chunk again.  Such a read is held back
// until the next event: if that is the free of the same block by the same
// thread, it was the allocator's walk and is forgotten; otherwise it is a
// use after free, reported then.
struct Pending {
  ShadowObject* object;
  uint64_t serial;
  MisuseEvent event;
};
Pending g_pending = {};

bool looks_like_cache_walk(Misuse kind, bool is_write, uint32_t size, int64_t offset) {
  return kind == Misuse::kUseAfterFree && !is_write && size == 8 && offset == 0;
}

void report(ShadowObject& object, const MisuseEvent& event) {
  keep_event(object, event);
  if (should_print(event.kind, event.stack)) print_access(object, event);
}

}  // namespace

void install_misuse(SiteTable* sites) {
  g_sites = sites;
  g_contexts = new HashMap<uint64_t, uint64_t>();
}

void flush_pending_misuse() {
  if (g_pending.object == nullptr) return;
  Pending pending = g_pending;
  g_pending.object = nullptr;
  // The object may have left the table since (and been deleted): only a
  // freed one still in it is reported.
  if (pending.object->serial == pending.serial &&
      pending.object->state == ObjectState::kFreed)
    report(*pending.object, pending.event);
}

void forget_pending_misuse_of(const ShadowObject& object) {
  if (g_pending.object == &object && g_pending.serial == object.serial &&
      g_pending.event.thread == g_running.number)
    g_pending.object = nullptr;
}

void report_access_misuse(ShadowObject& object, Misuse kind, bool is_write,
                          uint32_t size, int64_t offset, uint64_t time) {
  flush_pending_misuse();
  MisuseEvent event{kind, is_write, size, offset, time, g_running.number,
                    VG_(record_ExeContext)(g_running.tid, 0)};
  if (looks_like_cache_walk(kind, is_write, size, offset)) {
    g_pending = Pending{&object, object.serial, event};
    return;
  }
  report(object, event);
}



void report_mismatched_free(ShadowObject& object, ThreadId tid, uint64_t time,
                            ExeContext* stack, const char* what) {
  MisuseEvent event{Misuse::kMismatchedFree, false, 0, 0, time,
                    timeline::thread_number(tid), stack};
  keep_event(object, event);
  if (!should_print(Misuse::kMismatchedFree, stack)) return;
  VG_(umsg)("Mismatched free: %s at time %'llu (thread %u)\n", what, (ULong)time,
            event.thread);
  VG_(pp_ExeContext)(stack);
  VG_(umsg)(" Address 0x%llx is the start of a block of size %llu\n",
            (ULong)object.base, (ULong)object.size);
  print_block_history(object);
  VG_(umsg)("\n");
}

uint64_t misuse_contexts_shown() { return g_shown; }
uint64_t misuse_events() { return g_events; }

}  // namespace unstuck::lifetime
