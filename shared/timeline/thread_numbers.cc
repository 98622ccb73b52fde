#include "shared/timeline/thread_numbers.h"

#include "shared/rt/check.h"
#include "shared/rt/vector.h"
#include "shared/vg/core_events.h"

namespace unstuck::timeline {
namespace {

Vector<ThreadNumber>* g_number_of_slot = nullptr;  // indexed by ThreadId
ThreadNumber g_created = 0;

// The core reports the main thread too, with no parent.
void on_thread_created(ThreadId /*parent*/, ThreadId child) {
  if (g_number_of_slot->size() <= child) g_number_of_slot->resize(child + 1);
  (*g_number_of_slot)[child] = ++g_created;
}

}  // namespace

void install_thread_numbers() {
  g_number_of_slot = new Vector<ThreadNumber>();
  core_events::on_thread_created(on_thread_created);
}

ThreadNumber thread_number(ThreadId tid) {
  UNSTUCK_CHECK_MSG(tid < g_number_of_slot->size() &&
                        (*g_number_of_slot)[tid] != 0,
                    "a thread ran before it was created");
  return (*g_number_of_slot)[tid];
}

ThreadNumber threads_created() { return g_created; }

}  // namespace unstuck::timeline
