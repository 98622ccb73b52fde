#include "tools/lifetime/heap_events.h"

#include "shared/timeline/instruction_clock.h"
#include "shared/timeline/thread_numbers.h"
#include "tools/lifetime/access_recording.h"
#include "tools/lifetime/misuse.h"
#include "tools/lifetime/object_table.h"
#include "tools/lifetime/options.h"
#include "tools/lifetime/running_thread.h"
#include "tools/lifetime/sites.h"
#include "tools/lifetime/wrapper_protocol.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {
namespace {

ObjectTable* g_objects = nullptr;
SiteTable* g_sites = nullptr;
HeapEventCounts g_counts = {};
// The block each thread is reallocating, between REALLOC_BEGIN and _END.
// By Valgrind thread slot.
ShadowObject** g_resizing = nullptr;

// ---- Stacks ------------------------------------------------------------------

constexpr UInt kMaxFrames = 500;  // Valgrind's own limit for --num-callers

// The stack of the request; a wrapper's own frame is left out, so that
// the stack starts at the call to malloc.
ExeContext* request_stack(ThreadId tid, bool from_wrapper) {
  Addr ips[kMaxFrames + 1];
  const UInt skip = from_wrapper ? 1 : 0;
  UInt wanted = static_cast<UInt>(VG_(clo_backtrace_size)) + skip;
  if (wanted > kMaxFrames + 1) wanted = kMaxFrames + 1;
  UInt n = VG_(get_StackTrace)(tid, ips, wanted, nullptr, nullptr, 0);
  if (n > skip) return VG_(make_ExeContext_from_StackTrace)(ips + skip, n - skip);
  return VG_(make_ExeContext_from_StackTrace)(ips, n);
}

// ---- Which objects the output lists --------------------------------------------

bool is_suspicious(const ShadowObject& object) {
  if (object.has_misuse()) return true;
  if (object.resized_to != 0) return false;  // its chain's last version speaks
  if (object.free_time == kNever) return true;  // leaked
  if (object.bytes_read == 0) return true;
  return object.touched_end * 100 < object.size * g_options.low_utilisation;
}

// After its end a block's per-byte state is only wanted for the output
// (its per-offset counts, for a listed object): freed blocks wait in the
// freed window without it.
void drop_byte_state(ShadowObject& object) {
  delete_written_bits(object.written, object.size);
  object.written = nullptr;
  const bool listed = g_options.objects == ObjectListing::kAll ||
                      (g_options.objects == ObjectListing::kSuspicious &&
                       is_suspicious(object));
  if (!listed) {
    delete[] object.histogram;
    object.histogram = nullptr;
  }
}

void on_retire(ShadowObject* object) {
  const bool wanted = g_options.objects == ObjectListing::kAll ||
                      (g_options.objects == ObjectListing::kSuspicious &&
                       is_suspicious(*object));
  g_sites->keep_or_count(*object, wanted);
}

// ---- Life events ---------------------------------------------------------------

// A block version's life ends now (freed, or replaced by realloc): its
// accesses go to its site.
void end_version(ShadowObject& object, ThreadId tid, ExeContext* stack,
                 uint8_t kind) {
  object.free_time = timeline::now();
  object.free_stack = stack;
  object.free_kind = kind;
  object.free_thread = timeline::thread_number(tid);
  g_sites->fold(object, object.free_time);
}

// realloc read `bytes` of the old version and wrote them to the new one,
// now (DHAT counts them as a read and a write of the block).
void count_copy(ShadowObject& object, uint64_t bytes, bool is_write) {
  if (bytes == 0) return;
  const uint64_t now = timeline::now();
  if (is_write) {
    if (object.bytes_written == 0) object.first_write = now;
    object.bytes_written += bytes;
    object.last_write = now;
  } else {
    if (object.bytes_read == 0) object.first_read = now;
    object.bytes_read += bytes;
    object.last_read = now;
  }
}

// Fills in a new object's allocation (it is in the table already).
void set_allocation(ShadowObject& object, ThreadId tid, uint64_t requested,
                    uint8_t kind, ExeContext* stack) {
  object.requested = requested;
  object.alloc_kind = kind;
  object.alloc_stack = stack;
  object.alloc_time = timeline::now();
  object.alloc_thread = timeline::thread_number(tid);
  object.chain = object.serial;
  object.chain_start_time = object.alloc_time;
}

ShadowObject* create_object(ThreadId tid, Addr base, uint64_t requested,
                            uint8_t kind, ExeContext* stack) {
  const uint64_t size = requested == 0 ? 1 : requested;  // DHAT's convention
  ShadowObject* object = g_objects->create(base, size);
  set_allocation(*object, tid, requested, kind, stack);
  return object;
}

void free_object(ShadowObject& object, ThreadId tid, ExeContext* stack, uint8_t kind) {
  ++g_counts.frees;
  end_version(object, tid, stack, kind);
  g_sites->freed(object.site, object.size, object.free_time - object.chain_start_time,
                 object.free_time);
  drop_byte_state(object);
  if (object.alloc_kind == ALLOCATED_BY_CLIENT_REQUEST) {
    g_objects->retire(&object);  // see allocate_custom
  } else {
    object.state = ObjectState::kFreed;
    g_objects->freed(&object);
  }
}

// Blocks under a new one: a live one was freed without our seeing it (its
// free was not a call we wrap), and ends here; a freed one's memory is in
// use again, so an access there is no longer a use after free: it leaves.
void end_overlapped(ThreadId tid, Addr base, uint64_t size) {
  g_objects->for_each_object_in(base, size, [&](ShadowObject* old) {
    if (old->state == ObjectState::kLive)
      free_object(*old, tid, nullptr, FREED_BY_FREE);
    else if (old->state == ObjectState::kFreed)
      g_objects->retire(old);
  });
}

ShadowObject* allocate(ThreadId tid, Addr base, uint64_t requested, uint8_t kind,
                       ExeContext* stack) {
  ++g_counts.allocations;
  end_overlapped(tid, base, requested == 0 ? 1 : requested);
  ShadowObject* object = create_object(tid, base, requested, kind, stack);
  object->site = g_sites->site_of(stack);
  object->all_written = kind == ALLOCATED_BY_CALLOC;
  g_sites->allocated(object->site, object->size, object->alloc_time);
  return object;
}

// ---- Frees that do not match ----------------------------------------------------

int allocation_family(uint8_t kind) {
  switch (kind) {
    case ALLOCATED_BY_NEW: return 1;
    case ALLOCATED_BY_NEW_ARRAY: return 2;
    case ALLOCATED_BY_NEW_ALIGNED: return 3;
    case ALLOCATED_BY_NEW_ARRAY_ALIGNED: return 4;
    case ALLOCATED_BY_CLIENT_REQUEST: return -1;  // matches anything
    default: return 0;  // the C functions
  }
}

int deallocation_family(uint8_t kind) {
  switch (kind) {
    case FREED_BY_DELETE: return 1;
    case FREED_BY_DELETE_ARRAY: return 2;
    case FREED_BY_DELETE_ALIGNED: return 3;
    case FREED_BY_DELETE_ARRAY_ALIGNED: return 4;
    case FREED_BY_CLIENT_REQUEST: return -1;
    default: return 0;
  }
}

void check_free_matches(ShadowObject& object, ThreadId tid, ExeContext* stack,
                        uint8_t kind, uint64_t size_given) {
  HChar what[128];
  const int allocated = allocation_family(object.alloc_kind);
  const int freed = deallocation_family(kind);
  if (allocated >= 0 && freed >= 0 && allocated != freed) {
    VG_(snprintf)(what, sizeof what, "a block from %s given to %s",
                  allocation_kind_name(object.alloc_kind), deallocation_kind_name(kind));
  } else if (size_given != 0 && size_given != object.requested) {
    VG_(snprintf)(what, sizeof what, "%s given size %llu for a block of %llu bytes",
                  deallocation_kind_name(kind), (ULong)size_given,
                  (ULong)object.requested);
  } else {
    return;
  }
  report_mismatched_free(object, tid, timeline::now(), stack, what);
}

// ---- The requests ------------------------------------------------------------------

// The freed object whose block starts at `base`, if any.
ShadowObject* freed_at(Addr base) {
  const uint32_t entry = g_objects->entry_at(base);
  if (entry == 0 || is_redzone(entry)) return nullptr;
  ShadowObject* object = g_objects->object(entry);
  return object->base == base && object->state == ObjectState::kFreed ? object : nullptr;
}

// The new version of `old`, at `base` (maybe old's own), `size` bytes.
// It is made before the old one leaves (the written bits of what realloc
// copied come from it), and enters the table after (the old one's
// granules go first).
void resize(ThreadId tid, ShadowObject& old, Addr base, uint64_t requested,
            ExeContext* stack, uint8_t kind) {
  ++g_counts.reallocs;
  const uint64_t size = requested == 0 ? 1 : requested;
  const uint64_t copied = old.size < size ? old.size : size;
  g_sites->resized(old.site, old.size, size, timeline::now());
  count_copy(old, copied, false);  // realloc's copy, as DHAT counts it
  end_version(old, tid, stack, FREED_BY_REALLOC);

  ShadowObject* version = g_objects->reserve();
  version->base = base;
  version->size = size;
  copy_written(old, copied, *version);
  version->site = old.site;
  version->chain_index = old.chain_index + 1;
  version->resized_from = old.serial;
  const uint64_t chain = old.chain, chain_start = old.chain_start_time;
  old.resized_to = g_objects->next_serial();
  drop_byte_state(old);
  if (base == old.base) {
    g_objects->retire(&old);
  } else {
    old.state = ObjectState::kFreed;  // watched for use through stale pointers
    g_objects->freed(&old);
    end_overlapped(tid, base, size);
  }
  g_objects->attach(version);
  set_allocation(*version, tid, requested, kind, stack);
  version->chain = chain;
  version->chain_start_time = chain_start;
  count_copy(*version, copied, true);
}

}  // namespace

void install_heap_events(ObjectTable* objects, SiteTable* sites) {
  g_objects = objects;
  g_sites = sites;
  g_resizing = new ShadowObject*[VG_N_THREADS]();
}

ObjectTable::RetireFn retire_function() { return on_retire; }

void on_freeing(ThreadId tid, Addr base, uint8_t kind, uint64_t size_given) {
  ShadowObject* object = g_objects->live_at(base);
  if (object == nullptr) {
    if (ShadowObject* freed = freed_at(base)) forget_pending_misuse_of(*freed);
  }
  flush_pending_misuse();
  if (object == nullptr) {
    ++g_counts.unknown_frees;
    return;
  }
  ExeContext* stack = request_stack(tid, true);
  check_free_matches(*object, tid, stack, kind, size_given);
  free_object(*object, tid, stack, kind);
}

void on_realloc_begin(ThreadId tid, Addr old) {
  ShadowObject* object = old != 0 ? g_objects->live_at(old) : nullptr;
  if (object != nullptr) object->state = ObjectState::kResizing;
  g_resizing[tid] = object;
}

void on_realloc_end(ThreadId tid, Addr old, uint64_t requested, Addr result) {
  ShadowObject* object = g_resizing[tid];
  g_resizing[tid] = nullptr;
  if (object != nullptr && (object->base != old || object->state != ObjectState::kResizing))
    object = nullptr;
  if (object == nullptr) {
    if (result != 0)
      allocate(tid, result, requested, ALLOCATED_BY_REALLOC, request_stack(tid, true));
    return;
  }
  object->state = ObjectState::kLive;
  ExeContext* stack = request_stack(tid, true);
  if (requested == 0) {
    // realloc(p, 0) frees p (DHAT and glibc alike).
    free_object(*object, tid, stack, FREED_BY_REALLOC);
    if (result != 0) allocate(tid, result, 0, ALLOCATED_BY_REALLOC, stack);
  } else if (result != 0) {
    resize(tid, *object, result, requested, stack, ALLOCATED_BY_REALLOC);
  }
}

// A custom allocator's block is usually carved out of a bigger block (a
// pool from malloc): it takes over those granules while it lives, and
// gives them back when it dies, so it is not kept for use-after-free.
void allocate_custom(ThreadId tid, Addr base, uint64_t size, bool zeroed) {
  ++g_counts.custom;
  ShadowObject* parent = nullptr;
  g_objects->for_each_object_in(base, size == 0 ? 1 : size, [&](ShadowObject* o) {
    if (o->alloc_kind == ALLOCATED_BY_CLIENT_REQUEST && o->is_live())
      free_object(*o, tid, nullptr, FREED_BY_CLIENT_REQUEST);
    else if (o->is_live() && o->base <= base && base + size <= o->end())
      parent = o;
  });
  ExeContext* stack = request_stack(tid, false);
  ShadowObject* object = create_object(tid, base, size, ALLOCATED_BY_CLIENT_REQUEST, stack);
  object->site = g_sites->site_of(stack);
  object->all_written = zeroed;
  object->parent = parent != nullptr ? parent->id : 0;
  object->parent_serial = parent != nullptr ? parent->serial : 0;
  g_sites->allocated(object->site, object->size, object->alloc_time);
}

void free_custom(ThreadId tid, Addr base) {
  ShadowObject* object = g_objects->live_at(base);
  if (object == nullptr) {
    ++g_counts.unknown_frees;
    return;
  }
  const uint32_t parent = object->parent;
  const uint64_t parent_serial = object->parent_serial;
  const uint64_t size = object->size;
  free_object(*object, tid, request_stack(tid, false), FREED_BY_CLIENT_REQUEST);
  ShadowObject* owner = parent != 0 ? g_objects->object(parent) : nullptr;
  if (owner != nullptr && owner->id == parent && owner->serial == parent_serial &&
      owner->is_live())
    g_objects->map().set_range(base, size, parent);
}

void resize_custom(ThreadId tid, Addr old, Addr base, uint64_t size) {
  ShadowObject* object = g_objects->live_at(old);
  if (object == nullptr) {
    allocate_custom(tid, base, size, false);
    return;
  }
  ExeContext* stack = request_stack(tid, false);
  resize(tid, *object, base, size, stack, ALLOCATED_BY_CLIENT_REQUEST);
}


void on_allocated(ThreadId tid, Addr base, uint64_t requested, uint8_t kind) {
  allocate(tid, base, requested, kind, request_stack(tid, true));
}

void forget_memory(Addr start, SizeT size) { g_objects->forget_range(start, size); }

bool g_heap_finished = false;

bool heap_finished() { return g_heap_finished; }

void finish_heap() {
  g_heap_finished = true;
  flush_pending_misuse();
  const uint64_t now = timeline::now();
  g_sites->settle_peak();
  g_objects->retire_freed();
  Vector<ShadowObject*> live;
  g_objects->for_each_live([&](ShadowObject* object) { live.push_back(object); });
  for (ShadowObject* object : live) {
    g_sites->live_at_exit(object->site, now - object->chain_start_time);
    g_sites->fold(*object, now);
    g_objects->retire(object);
  }
}

const HeapEventCounts& heap_event_counts() { return g_counts; }

}  // namespace unstuck::lifetime
