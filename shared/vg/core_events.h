// One subscriber list per Valgrind core event.
//
// Valgrind accepts a single callback per tracked event, but the clock, the
// recorder and the tool itself each need some of them.  Each event is
// registered with the core once, here, and fans out to the subscribers in
// the order they subscribed: the clock subscribes first (in
// timeline::install), so every later subscriber sees settled times.
#pragma once

#include "shared/vg/valgrind_api.h"

namespace unstuck::core_events {

using ThreadRun = void (*)(ThreadId tid, ULong blocks_done);
using SignalDelivery = void (*)(ThreadId tid, Int signal, Bool alt_stack);
using ThreadCreation = void (*)(ThreadId parent, ThreadId child);

void on_start_client_code(ThreadRun fn);
void on_stop_client_code(ThreadRun fn);
void on_pre_deliver_signal(SignalDelivery fn);
void on_thread_created(ThreadCreation fn);

}  // namespace unstuck::core_events
