#include "tools/lifetime/client_requests.h"

#include "tools/lifetime/heap_events.h"
#include "tools/lifetime/misuse.h"
#include "tools/lifetime/monitor_commands.h"
#include "tools/lifetime/running_thread.h"
#include "tools/lifetime/wrapper_protocol.h"

namespace unstuck::lifetime {
namespace {

bool handle_wrapper_request(ThreadId tid, const UWord* args) {
  switch (args[0]) {
    case WRAPPER_CLAIMED_SLOT:
      claimed_slot(tid, args[1], args[2]);
      return true;
    case WRAPPER_ALLOCATED:
      on_allocated(tid, args[1], args[2], static_cast<uint8_t>(args[3]));
      return true;
    case WRAPPER_FREEING:
      on_freeing(tid, args[1], static_cast<uint8_t>(args[2]), args[3]);
      return true;
    case WRAPPER_REALLOC_BEGIN:
      on_realloc_begin(tid, args[1]);
      return true;
    case WRAPPER_REALLOC_END:
      on_realloc_end(tid, args[1], args[2], args[3]);
      return true;
    default:
      return false;
  }
}

// <unstuck/lifetime.h>'s requests, and Valgrind's for custom allocators
// (which the core passes on only with a non-null address).
bool handle_custom_allocator_request(ThreadId tid, const UWord* args) {
  switch (args[0]) {
    case UNSTUCK_LIFETIME_REQ_ALLOCATED:
      allocate_custom(tid, args[1], args[2], false);
      return true;
    case UNSTUCK_LIFETIME_REQ_FREED:
      free_custom(tid, args[1]);
      return true;
    case UNSTUCK_LIFETIME_REQ_RESIZED:
      resize_custom(tid, args[1], args[2], args[3]);
      return true;
    case VG_USERREQ__MALLOCLIKE_BLOCK:  // addr, size, redzone, is_zeroed
      allocate_custom(tid, args[1], args[2], args[4] != 0);
      return true;
    case VG_USERREQ__FREELIKE_BLOCK:  // addr, redzone
      free_custom(tid, args[1]);
      return true;
    case VG_USERREQ__RESIZEINPLACE_BLOCK:  // addr, old size, new size, redzone
      resize_custom(tid, args[1], args[1], args[3]);
      return true;
    default:
      return false;
  }
}

// The requests the heap's life is told by.
bool is_heap_request(UWord code) {
  switch (code) {
    case WRAPPER_CLAIMED_SLOT: case WRAPPER_ALLOCATED: case WRAPPER_FREEING:
    case WRAPPER_REALLOC_BEGIN: case WRAPPER_REALLOC_END:
    case UNSTUCK_LIFETIME_REQ_ALLOCATED: case UNSTUCK_LIFETIME_REQ_FREED:
    case UNSTUCK_LIFETIME_REQ_RESIZED: case VG_USERREQ__MALLOCLIKE_BLOCK:
    case VG_USERREQ__FREELIKE_BLOCK: case VG_USERREQ__RESIZEINPLACE_BLOCK:
      return true;
    default:
      return false;
  }
}

}  // namespace

Bool handle_client_request(ThreadId tid, UWord* args, UWord* result) {
  *result = 0;
  // A use after free held back (misuse.h) waits for the next event only: a
  // free, which may be the one that explains it.
  if (args[0] != WRAPPER_FREEING) flush_pending_misuse();
  // After the profile was written (at an exec that then failed), the heap's
  // events are acknowledged and dropped.
  if (heap_finished() && is_heap_request(args[0])) return True;
  if (handle_wrapper_request(tid, args) || handle_custom_allocator_request(tid, args))
    return True;
  if (args[0] == VG_USERREQ__GDB_MONITOR_COMMAND) {
    const bool ours = handle_monitor_command(reinterpret_cast<const HChar*>(args[1]));
    *result = ours ? 1 : 0;
    return ours ? True : False;
  }
  return False;
}

}  // namespace unstuck::lifetime
