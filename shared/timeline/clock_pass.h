// The clock's IR pass, shared by the Valgrind tools and the replayer so
// that both count time with the same rules (see instruction_clock.h for the
// rules themselves).  It depends on VEX's IR only, not on Valgrind's core.
//
// The generated code updates a ClockState in memory: the superblock's full
// length is added on entry, the unexecuted tail is taken back on a side
// exit, and `open_superblock` says "inside a superblock" so that a fault in
// the middle can be settled afterwards from the guest program counter.
#pragma once

#include <stdint.h>

extern "C" {
#include "libvex_basictypes.h"
#include "libvex_ir.h"
}

namespace unstuck {
class Arena;
}

namespace unstuck::timeline {

// What the clock knows about one translated superblock: where each of its
// instructions starts, to settle a fault in the middle of it.
struct SuperblockShape {
  uint32_t count;
  Addr* instruction_addresses;  // `count` entries, in execution order
};

struct ClockState {
  // Instructions retired, including the whole superblock now running.
  ULong time;
  // The superblock whose body is running, or null between superblocks.
  const SuperblockShape* open_superblock;
  // Address-table entry of the last integer division reached in the open
  // superblock, or null.  Division faults happen where the guest program
  // counter is not kept up to date, so the clock records them itself.
  const Addr* last_division;
};

// Returns a copy of `sb` with the clock's statements added; the generated
// code updates `*clock`; shapes are allocated in `shapes` and must live as
// long as the translation.  The pass must be the last one: its loads and
// stores address the ClockState, not guest memory.
IRSB* add_clock_pass(IRSB* sb, ClockState* clock, Arena* shapes);

// Instructions of the open superblock that retired before a fault at guest
// address `pc`, and closes the superblock.  No-op between superblocks.
void settle_interrupted_superblock(ClockState* clock, Addr pc);

}  // namespace unstuck::timeline
