// The helpers that instrumented code calls on loads and stores that touch
// a shadow object (access_instrumentation.h calls them only then), and the
// bookkeeping of one access: counts, times, touched bytes, per-offset
// counts, written bytes, threads, functions, misuse.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"
#include "tools/lifetime/shadow_object.h"

namespace unstuck::lifetime {

class ObjectTable;

void install_access_recording(ObjectTable* objects);

// What a helper call knows at instrumentation time, packed in one word:
// the access size, the instructions from the accessing one to the end of
// its superblock (for its exact time) and the function's id.
inline HWord pack_access(uint32_t size, uint32_t instructions_left,
                         uint32_t function) {
  return HWord{size & 0xFFFF} | (HWord{instructions_left & 0xFFFF} << 16) |
         (HWord{function} << 32);
}

// Called from generated code.
void on_load(HWord addr, HWord packed);
void on_store(HWord addr, HWord packed);

// Accesses by the core on the program's behalf (system calls).
void record_core_access(Addr addr, uint64_t size, bool is_write);

// The bytes [from, from + size) of `object` hold data the program wrote
// (a calloc'd block, the part realloc copied).
void mark_written(ShadowObject& object, uint64_t from, uint64_t size);
bool all_written(const ShadowObject& object, uint64_t from, uint64_t end);
// The first `bytes` of `to` were copied from `from`: realloc's copy.
void copy_written(const ShadowObject& from, uint64_t bytes, ShadowObject& to);

}  // namespace unstuck::lifetime
