// malloc's live blocks, learnt by following the allocator's calls with
// argdist's own call tracking (no malloc replacement: the program's
// allocator runs unchanged): the exported functions malloc, calloc,
// realloc, reallocarray, free, memalign, aligned_alloc, posix_memalign,
// valloc and pvalloc of any object (C++'s operator new and delete call
// them).  Turned on by --heap-blocks=yes; it gives a heap pointer argument
// the size of the block it points into.  Blocks live in a shadow map of
// 16-byte granules (malloc's alignment) holding block numbers.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::argdist {

// What an allocator function does with its arguments and result.
enum class AllocatorRole : int8_t {
  kNone = -1,
  kMalloc,         // (size) -> block
  kCalloc,         // (count, size) -> block
  kRealloc,        // (block, size) -> block
  kReallocArray,   // (block, count, size) -> block
  kFree,           // (block)
  kAlignedAlloc,   // (alignment, size) -> block: memalign, aligned_alloc
  kPosixMemalign,  // (&block, alignment, size) -> 0 on success
  kPageAlloc,      // (size) -> block: valloc, pvalloc
};

void install_heap_blocks();
bool heap_blocks_enabled();

// The role of an exported function called `name`, when heap blocks are
// followed.
AllocatorRole allocator_role(const char* name);

// The allocator's integer arguments (rdi, rsi, rdx) at its entry, kept
// in the call's frame until its return.
struct AllocatorCall {
  AllocatorRole role;
  uint64_t args[3];
};
void allocator_entered(const AllocatorCall& call);
void allocator_returned(const AllocatorCall& call, uint64_t result);

struct HeapBlock {
  Addr start;
  uint64_t size;
};
// The live block containing `address`, if one is known.
bool find_heap_block(Addr address, HeapBlock* block);

}  // namespace unstuck::argdist
