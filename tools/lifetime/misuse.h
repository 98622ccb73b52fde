// Misuse of heap objects: use after free, accesses just outside a block,
// reads of bytes never written, mismatched frees.  Each event is counted
// on its object and site, kept (the first few per object) with its time
// and stack for the output, and printed as it happens (once per kind and
// stack, like Valgrind's errors) unless --show-misuse=no.
#pragma once

#include <stdint.h>

#include "tools/lifetime/shadow_object.h"

namespace unstuck::lifetime {

class SiteTable;

void install_misuse(SiteTable* sites);

// An access by the running thread, at `time`; `offset` is from the block's
// start (negative before it).
void report_access_misuse(ShadowObject& object, Misuse kind, bool is_write,
                          uint32_t size, int64_t offset, uint64_t time);
// A use after free that may be glibc emptying its cache of freed chunks at
// thread exit is held back until the next event (see misuse.cc): the free
// of that block by the same thread forgets it, anything else reports it.
void forget_pending_misuse_of(const ShadowObject& object);
void flush_pending_misuse();

// A free that does not match the allocation (`what` says how).
void report_mismatched_free(ShadowObject& object, ThreadId tid, uint64_t time,
                            ExeContext* stack, const char* what);

// Distinct misuse contexts printed so far, and events in all.
uint64_t misuse_contexts_shown();
uint64_t misuse_events();

}  // namespace unstuck::lifetime
