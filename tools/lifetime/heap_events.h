// Allocation interception, the tool's side: what the preload's wrappers
// (wrapper_protocol.h) and custom allocators (include/unstuck/lifetime.h,
// Valgrind's MALLOCLIKE/FREELIKE/RESIZEINPLACE requests) report, turned into
// shadow objects (object_table.h) and per-site counts (sites.h), with
// DHAT's conventions for what counts (see sites.h).  client_requests.h
// decodes the requests.
#pragma once

#include "shared/vg/valgrind_api.h"
#include "tools/lifetime/object_table.h"

namespace unstuck::lifetime {

class SiteTable;

void install_heap_events(ObjectTable* objects, SiteTable* sites);

// What the object table calls when an object leaves it: the object goes to
// its site's list for the output, or is deleted (--objects).
ObjectTable::RetireFn retire_function();

// What the preload's wrappers report (wrapper_protocol.h): a block made by
// `kind`, a block about to be freed by `kind` (`size_given` by sized
// delete, else 0), and the two halves of a realloc.
void on_allocated(ThreadId tid, Addr base, uint64_t requested, uint8_t kind);
void on_freeing(ThreadId tid, Addr base, uint8_t kind, uint64_t size_given);
void on_realloc_begin(ThreadId tid, Addr old);
void on_realloc_end(ThreadId tid, Addr old, uint64_t requested, Addr result);

// What custom allocators report (include/unstuck/lifetime.h, Valgrind's
// MALLOCLIKE_BLOCK and friends).
void allocate_custom(ThreadId tid, Addr base, uint64_t size, bool zeroed);
void free_custom(ThreadId tid, Addr base);
void resize_custom(ThreadId tid, Addr old, Addr base, uint64_t size);

// Memory the program gave back to the system (munmap, brk shrinking).
void forget_memory(Addr start, SizeT size);

// At exit: every object's life ends (freed ones leave the table, live ones
// are counted as live at the end, as DHAT does).
void finish_heap();
// After finish_heap: the profile is settled, and later heap events (a
// program whose exec failed goes on) are ignored.
bool heap_finished();

// Allocations and frees seen, and frees of blocks we did not know.
struct HeapEventCounts {
  uint64_t allocations, frees, reallocs, custom, unknown_frees;
};
const HeapEventCounts& heap_event_counts();

}  // namespace unstuck::lifetime
