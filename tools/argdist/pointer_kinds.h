// What a pointer argument points to: null, a thread's stack, the heap, an
// object file's globals, code, another mapped file, or nothing mapped.
//
// Without replacing malloc (which would change the program under test),
// "heap" is the client's anonymous memory that is neither a thread stack
// nor an object's .bss: the brk heap and anonymous mappings, where malloc's
// large blocks and arenas, and custom allocators' pools, live.  When
// heap_blocks.h tracks malloc's blocks (--heap-blocks=yes), a heap pointer
// also gets the size of the block it points into.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"
#include "tools/argdist/aggregate.h"

namespace unstuck::argdist {

enum class PointerKind : uint8_t {
  kNull,
  kStack,
  kHeap,
  kGlobal,    // data, bss or read-only data of a loaded object
  kCode,      // executable memory
  kFile,      // another file mapping (mmap'd data, shared memory)
  kUnmapped,  // no client memory there
};
constexpr int kPointerKinds = 7;

const char* pointer_kind_name(PointerKind kind);

// Subscribes to the address-space events that make cached answers stale.
void install_pointer_kinds();

PointerKind classify_pointer(Addr address);

// Per pointer argument: how often it pointed to each kind of memory, and
// for heap pointers inside a known malloc block, the sizes of those blocks
// and how often the pointer was not the block's start.
struct PointerKindCounts {
  uint64_t counts[kPointerKinds];
  Summary block_sizes;
  uint64_t interior;  // pointed inside a block, not at its start

  void add(Addr address);
};

}  // namespace unstuck::argdist
