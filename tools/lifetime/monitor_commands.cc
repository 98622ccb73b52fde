#include "tools/lifetime/monitor_commands.h"

#include "shared/rt/vector.h"
#include "shared/shadow/heap_sort.h"
#include "shared/timeline/instruction_clock.h"
#include "tools/lifetime/functions.h"
#include "tools/lifetime/object_table.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {
namespace {

ObjectTable* g_objects = nullptr;

// Frames go to gdb (VG_(pp_ExeContext) would print to the log).
void print_frame(UInt n, DiEpoch epoch, Addr ip, void*) {
  VG_(gdb_printf)("   %s %s\n", n == 0 ? "at" : "by", VG_(describe_IP)(epoch, ip, nullptr));
}

void print_stack(ExeContext* stack) {
  if (stack != nullptr) VG_(apply_ExeContext)(print_frame, nullptr, stack);
}

void print_time(const char* what, uint64_t time) {
  if (time == kNever)
    VG_(gdb_printf)("  %s: never\n", what);
  else
    VG_(gdb_printf)("  %s: %'llu\n", what, (ULong)time);
}

void print_threads(const ShadowObject& object) {
  VG_(gdb_printf)("  threads:");
  for (int n = 1; n <= 64; ++n)
    if (object.threads & (uint64_t{1} << (n - 1))) VG_(gdb_printf)(" %d", n);
  VG_(gdb_printf)("%s\n", object.more_threads ? " and more" : "");
}

void print_functions(const ShadowObject& object) {
  for (uint8_t i = 0; i < object.function_count; ++i) {
    const FunctionCount& f = object.functions[i];
    VG_(gdb_printf)("  %s: %u reads, %u writes\n", function_name(f.function), f.reads,
                    f.writes);
  }
}

void print_misuse(const ShadowObject& object) {
  for (int k = 0; k < kMisuseKinds; ++k)
    if (object.misuse_counts[k] != 0)
      VG_(gdb_printf)("  %s: %'llu times\n", misuse_name(static_cast<Misuse>(k)),
                      (ULong)object.misuse_counts[k]);
  if (object.misuse == nullptr) return;
  for (const MisuseEvent& e : *object.misuse) {
    VG_(gdb_printf)("  %s, %s of %u bytes at offset %lld, time %'llu, thread %u\n",
                    misuse_name(e.kind), e.is_write ? "write" : "read", e.size,
                    (Long)e.offset, (ULong)e.time, e.thread);
    print_stack(e.stack);
  }
}

void print_object(const ShadowObject& o, Addr asked) {
  const char* state = o.is_live() ? "live" : "freed";
  VG_(gdb_printf)("Object 0x%llx, %llu bytes (%s), %s; 0x%llx is at offset %lld\n",
                  (ULong)o.base, (ULong)o.size, allocation_kind_name(o.alloc_kind),
                  state, (ULong)asked, (Long)(asked - o.base));
  VG_(gdb_printf)(" allocated at time %'llu by thread %u\n", (ULong)o.alloc_time,
                  o.alloc_thread);
  print_stack(o.alloc_stack);
  if (o.free_time != kNever) {
    VG_(gdb_printf)(" freed by %s at time %'llu by thread %u\n",
                    deallocation_kind_name(o.free_kind), (ULong)o.free_time, o.free_thread);
    print_stack(o.free_stack);
  }
  if (o.chain_index != 0)
    VG_(gdb_printf)(" version %u of a block resized by realloc, first allocated at "
                    "time %'llu\n", o.chain_index, (ULong)o.chain_start_time);
  VG_(gdb_printf)(" accesses (time now %'llu):\n", (ULong)timeline::now());
  VG_(gdb_printf)("  bytes read: %'llu, written: %'llu\n", (ULong)o.bytes_read,
                  (ULong)o.bytes_written);
  print_time("first read", o.first_read);
  print_time("last read", o.last_read);
  print_time("first write", o.first_write);
  print_time("last write", o.last_write);
  VG_(gdb_printf)("  touched: the first %'llu of %'llu bytes\n", (ULong)o.touched_end,
                  (ULong)o.size);
  print_threads(o);
  print_functions(o);
  print_misuse(o);
}

void object_command(HChar** cursor) {
  Addr address = 0;
  SizeT size = 1;
  if (!VG_(strtok_get_address_and_size)(&address, &size, cursor)) return;
  uint32_t entry = g_objects->entry_at(address);
  if (entry == 0) {
    VG_(gdb_printf)("No object at 0x%llx\n", (ULong)address);
    return;
  }
  const ShadowObject* object = g_objects->object(id_of(entry));
  if (is_redzone(entry))
    VG_(gdb_printf)("0x%llx is just outside this object:\n", (ULong)address);
  print_object(*object, address);
}

void objects_command(HChar** cursor) {
  ULong shown = 20;
  if (const HChar* word = VG_(strtok_r)(nullptr, " ", cursor))
    shown = VG_(strtoull10)(word, nullptr);
  Vector<ShadowObject*> live;
  uint64_t bytes = 0;
  g_objects->for_each_live([&](ShadowObject* o) {
    live.push_back(o);
    bytes += o->size;
  });
  shadow::heap_sort(live.data(), live.size(), [](ShadowObject* a, ShadowObject* b) {
    return a->size != b->size ? a->size > b->size : a->serial < b->serial;
  });
  VG_(gdb_printf)("%'llu live objects, %'llu bytes; time now %'llu\n",
                  (ULong)live.size(), (ULong)bytes, (ULong)timeline::now());
  for (size_t i = 0; i < live.size() && i < shown; ++i) {
    const ShadowObject& o = *live[i];
    VG_(gdb_printf)(" 0x%llx: %'llu bytes (%s), allocated at time %'llu; "
                    "%'llu bytes read, %'llu written\n",
                    (ULong)o.base, (ULong)o.size, allocation_kind_name(o.alloc_kind),
                    (ULong)o.alloc_time, (ULong)o.bytes_read, (ULong)o.bytes_written);
    print_stack(o.alloc_stack);
  }
}

void print_help() {
  VG_(gdb_printf)(
      "lifetime monitor commands:\n"
      "  object <addr>   the object holding <addr> (live or recently freed)\n"
      "                  and its history so far\n"
      "  objects [<n>]   the live objects, the <n> largest listed [20]\n");
}

}  // namespace

void install_monitor_commands(ObjectTable* objects) { g_objects = objects; }

bool handle_monitor_command(const HChar* command) {
  HChar text[512];
  VG_(strncpy)(text, command, sizeof text - 1);
  text[sizeof text - 1] = '\0';
  HChar* cursor = nullptr;
  const HChar* word = VG_(strtok_r)(text, " ", &cursor);
  switch (VG_(keyword_id)("help object objects", word, kwd_report_none)) {
    case 0: print_help(); return true;
    case 1: object_command(&cursor); return true;
    case 2: objects_command(&cursor); return true;
    default: return false;
  }
}

}  // namespace unstuck::lifetime
