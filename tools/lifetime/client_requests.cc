#include "tools/lifetime/client_requests.h"

#include "tools/lifetime/heap_events.h"
#include "tools/lifetime/misuse.h"
#include "tools/lifetime/monitor_commands.h"
#include "tools/lifetime/running_thread.h"
#include "tools/lifetime/wrapper_protocol.h"

namespace unstuck::lifetime {
namespace {

// The requests the heap's life is told by: the preload's wrappers
// (wrapper_protocol.h), <unstuck/lifetime.h>'s, and Valgrind's for custom
// allocators (which the core passes on only with a non-null address).
struct HeapRequest {
  UWord code;
  void (*apply)(ThreadId tid, const UWord* args);
};

const HeapRequest kHeapRequests[] = {
    {WRAPPER_CLAIMED_SLOT, [](ThreadId t, const UWord* a) { claimed_slot(t, a[1], a[2]); }},
    {WRAPPER_ALLOCATED,
     [](ThreadId t, const UWord* a) { on_allocated(t, a[1], a[2], static_cast<uint8_t>(a[3])); }},
    {WRAPPER_FREEING,
     [](ThreadId t, const UWord* a) { on_freeing(t, a[1], static_cast<uint8_t>(a[2]), a[3]); }},
    {WRAPPER_REALLOC_BEGIN, [](ThreadId t, const UWord* a) { on_realloc_begin(t, a[1]); }},
    {WRAPPER_REALLOC_END, [](ThreadId t, const UWord* a) { on_realloc_end(t, a[1], a[2], a[3]); }},
    {UNSTUCK_LIFETIME_REQ_ALLOCATED,
     [](ThreadId t, const UWord* a) { allocate_custom(t, a[1], a[2], false); }},
    {UNSTUCK_LIFETIME_REQ_FREED, [](ThreadId t, const UWord* a) { free_custom(t, a[1]); }},
    {UNSTUCK_LIFETIME_REQ_RESIZED,
     [](ThreadId t, const UWord* a) { resize_custom(t, a[1], a[2], a[3]); }},
    // addr, size, redzone, is_zeroed
    {VG_USERREQ__MALLOCLIKE_BLOCK,
     [](ThreadId t, const UWord* a) { allocate_custom(t, a[1], a[2], a[4] != 0); }},
    // addr, redzone
    {VG_USERREQ__FREELIKE_BLOCK, [](ThreadId t, const UWord* a) { free_custom(t, a[1]); }},
    // addr, old size, new size, redzone
    {VG_USERREQ__RESIZEINPLACE_BLOCK,
     [](ThreadId t, const UWord* a) { resize_custom(t, a[1], a[1], a[3]); }},
};

const HeapRequest* heap_request(UWord code) {
  for (const HeapRequest& r : kHeapRequests)
    if (r.code == code) return &r;
  return nullptr;
}

}  // namespace

Bool handle_client_request(ThreadId tid, UWord* args, UWord* result) {
  *result = 0;
  // A use after free held back (misuse.h) waits for the next event only: a
  // free, which may be the one that explains it.
  if (args[0] != WRAPPER_FREEING) flush_pending_misuse();
  if (const HeapRequest* request = heap_request(args[0])) {
    // After the profile was written (at an exec that then failed), the
    // heap's events are acknowledged and dropped.
    if (!heap_finished()) request->apply(tid, args);
    return True;
  }
  if (args[0] == VG_USERREQ__GDB_MONITOR_COMMAND) {
    const bool ours = handle_monitor_command(reinterpret_cast<const HChar*>(args[1]));
    *result = ours ? 1 : 0;
    return ours ? True : False;
  }
  return False;
}

}  // namespace unstuck::lifetime
