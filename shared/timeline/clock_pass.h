// The clock's IR pass, shared by the Valgrind tools and the replayer so
// that both count time with the same rules (see instruction_clock.h for the
// rules themselves).  It depends on VEX's IR only, not on Valgrind's core.
//
// The generated code updates a ClockState in memory: the superblock's full
// length is added on entry, the unexecuted tail is taken back on a side
// exit, and `open_superblock` names the superblock last entered, so that a
// fault in the middle can be settled afterwards from the guest program
// counter.  It is cleared only at the exits after which the program counter
// could name an instruction of the same superblock (or its entry address):
// at every other exit the next program counter lies outside it, which tells
// a superblock that finished from one interrupted, and a store at every
// exit cost argdist with nothing selected 0.4 s of python3's 3.7 s.
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
  // Where the guest enters it: its first instruction, or for a redirected
  // superblock the address redirected from (the program counter until the
  // block sets it).
  Addr entered_at;
};

struct ClockState {
  // Instructions retired, including the whole superblock now running.
  ULong time;
  // The superblock entered last, or null; it may have finished (see above).
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
// `entered_at` is where the guest enters the superblock (see above).
IRSB* add_clock_pass(IRSB* sb, Addr entered_at, ClockState* clock, Arena* shapes);

// Called where the guest stopped (program counter `pc`): if it stopped in
// the middle of the superblock entered last (a fault), takes back the
// instructions that did not retire.  Either way no superblock is open after.
void settle_interrupted_superblock(ClockState* clock, Addr pc);

}  // namespace unstuck::timeline
