#include "shared/vg/core_events.h"

#include "shared/rt/check.h"

namespace unstuck::core_events {
namespace {

// A fixed-size list: subscribers are a handful of modules, known at build
// time, and registration happens before any client code runs.
template <typename Fn>
struct Subscribers {
  static constexpr int kMax = 8;
  Fn fns[kMax];
  int count;

  // Returns true for the first subscriber: the caller then registers the
  // fan-out function with the core.
  bool add(Fn fn) {
    UNSTUCK_CHECK_MSG(count < kMax, "too many subscribers to a core event");
    fns[count++] = fn;
    return count == 1;
  }
};

Subscribers<ThreadRun> g_start = {};
Subscribers<ThreadRun> g_stop = {};
Subscribers<SignalDelivery> g_signal = {};
Subscribers<ThreadCreation> g_created = {};

void fan_out_start(ThreadId tid, ULong blocks) {
  for (int i = 0; i < g_start.count; ++i) g_start.fns[i](tid, blocks);
}
void fan_out_stop(ThreadId tid, ULong blocks) {
  for (int i = 0; i < g_stop.count; ++i) g_stop.fns[i](tid, blocks);
}
void fan_out_signal(ThreadId tid, Int signal, Bool alt_stack) {
  for (int i = 0; i < g_signal.count; ++i) g_signal.fns[i](tid, signal, alt_stack);
}
void fan_out_created(ThreadId parent, ThreadId child) {
  for (int i = 0; i < g_created.count; ++i) g_created.fns[i](parent, child);
}

}  // namespace

void on_start_client_code(ThreadRun fn) {
  if (g_start.add(fn)) VG_(track_start_client_code)(fan_out_start);
}
void on_stop_client_code(ThreadRun fn) {
  if (g_stop.add(fn)) VG_(track_stop_client_code)(fan_out_stop);
}
void on_pre_deliver_signal(SignalDelivery fn) {
  if (g_signal.add(fn)) VG_(track_pre_deliver_signal)(fan_out_signal);
}
void on_thread_created(ThreadCreation fn) {
  if (g_created.add(fn)) VG_(track_pre_thread_ll_create)(fan_out_created);
}

}  // namespace unstuck::core_events
