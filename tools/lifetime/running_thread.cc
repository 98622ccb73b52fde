#include "tools/lifetime/running_thread.h"

#include <stddef.h>

#include "shared/timeline/thread_numbers.h"
#include "shared/vg/core_events.h"
#include "tools/lifetime/wrapper_protocol.h"

namespace unstuck::lifetime {
namespace {

const UWord kOutsideAllocator = 0;
const WrapperThreadSlot* g_table = nullptr;  // in the guest, once known

// The thread pointer the wrappers key their table with: the word at the
// thread's FS base (%fs:0, the thread control block's self pointer).
UWord thread_pointer(ThreadId tid) {
  Addr fs_base = 0;
  VG_(get_shadow_regs_area)(tid, reinterpret_cast<UChar*>(&fs_base), 0,
                            offsetof(VexGuestAMD64State, guest_FS_CONST),
                            sizeof fs_base);
  // Not yet set up (early in the dynamic linker), or not glibc's layout.
  if (fs_base == 0 || !VG_(am_is_valid_for_client)(fs_base, sizeof(UWord), VKI_PROT_READ))
    return 0;
  return *reinterpret_cast<const UWord*>(fs_base);
}

// The thread's slot, searched as the wrappers search it; null if it has
// none (yet, or any more).
const WrapperThreadSlot* find_slot(ThreadId tid) {
  const UWord thread = thread_pointer(tid);
  if (g_table == nullptr || thread == 0) return nullptr;
  UWord i = thread_slot_hash(thread);
  for (UWord n = 0; n < WRAPPER_THREAD_SLOTS; ++n) {
    const WrapperThreadSlot& slot = g_table[i];
    if (slot.thread == thread) return &slot;
    if (slot.thread == 0) break;
    i = (i + 1) & (WRAPPER_THREAD_SLOTS - 1);
  }
  for (UWord n = 0; n < WRAPPER_THREAD_SLOTS; ++n)  // taken over from another
    if (g_table[n].thread == thread) return &g_table[n];
  return nullptr;
}

void point_at(const WrapperThreadSlot* slot) {
  g_running.allocator_depth = slot != nullptr ? &slot->depth : &kOutsideAllocator;
}

// A thread may have a slot from an earlier thread with the same thread
// pointer (glibc reuses thread stacks), so it is looked up at each switch.
void on_start_client_code(ThreadId tid, ULong /*blocks_done*/) {
  const timeline::ThreadNumber number = timeline::thread_number(tid);
  g_running.tid = tid;
  g_running.number = number;
  g_running.bit = number >= 1 && number <= 64 ? uint64_t{1} << (number - 1) : 0;
  point_at(find_slot(tid));
}

}  // namespace

RunningThread g_running = {VG_INVALID_THREADID, 0, 0, &kOutsideAllocator};

void install_running_thread() {
  core_events::on_start_client_code(on_start_client_code);
}

void claimed_slot(ThreadId tid, Addr slot, Addr table) {
  g_table = reinterpret_cast<const WrapperThreadSlot*>(table);
  if (tid == g_running.tid) point_at(reinterpret_cast<const WrapperThreadSlot*>(slot));
}

}  // namespace unstuck::lifetime
