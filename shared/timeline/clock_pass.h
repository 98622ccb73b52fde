// The clock's IR pass, shared by the Valgrind tools and the replayer so
// that both count time with the same rules (see instruction_clock.h for the
// rules themselves).  It depends on VEX's IR only, not on Valgrind's core.
//
// The generated code keeps the clock in words of the guest state that VEX
// leaves unused (pad0, pad1, pad3), which it addresses relative to the
// guest-state register: on python3 the clock in globals, at 64-bit
// constant addresses, cost a fifth of a run that traced nothing, and in
// these words about a third less (docs/record.md, "How it is counted").
// What runs the generated code calls begin_run() before and end_run()
// after each run of it:
//   - pad0, 32 bits: instructions counted since the run began, the whole
//     length of the superblock now running included (the superblock adds
//     it on entry);
//   - pad3: the id + 1 of the shape of the superblock entered last, or 0,
//     so that a fault in the middle can be settled afterwards from the
//     guest program counter;
//   - pad1, 32 bits: pad0's value when a superblock last finished through
//     an exit after which the program counter could name one of its own
//     instructions (or its entry address): a jump back into it, an
//     unknown target, a system call.  At every other exit the next program
//     counter lies outside the superblock, which tells a superblock that
//     finished from one interrupted, and a mark at every exit cost argdist
//     with nothing selected 0.4 s of python3's 3.7 s.
// Each superblock writes pad0 and pad3 once, on entry, and pad1 only
// just before an exit: VEX removes a write of guest state that a later one
// in the same stretch between exits overwrites (memory accesses do not keep
// it, only the stack, frame and instruction pointers are kept up to date
// at them), so a second write would lose the first for a fault before it.
// The rare exits that retire fewer instructions than the superblock counted
// (a faulting instruction's own exit, a `rep` prefix's) take the difference
// off ClockState::time in memory instead.
#pragma once

#include <stddef.h>
#include <stdint.h>

extern "C" {
#include "libvex_basictypes.h"
#include "libvex_guest_amd64.h"
#include "libvex_ir.h"
}

#include "shared/rt/vector.h"

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

// Shapes by id: the generated code names a shape by a 32-bit constant.
using ShapeTable = Vector<const SuperblockShape*>;

struct ClockState {
  // Instructions retired before the current run began (less what exits
  // that retired part of their superblock took back during it).
  ULong time;
  ShapeTable* shapes;  // owned by the clock's user; ids index it
  // Address-table entry of the last integer division reached in the open
  // superblock, or null.  Division faults happen where the guest program
  // counter is not kept up to date, so the clock records them itself.
  const Addr* last_division;
};

// Returns a copy of `sb` with the clock's statements added; the generated
// code updates `*clock` and the guest state's clock words; shapes are
// allocated in `shapes` and must live as long as the translation.  The
// pass must be the last one: its loads and stores address the ClockState,
// not guest memory.  `entered_at` is where the guest enters the superblock
// (see above).
IRSB* add_clock_pass(IRSB* sb, Addr entered_at, ClockState* clock, Arena* shapes);

// Around each run of generated code on `guest`.  end_run settles a fault
// at the program counter `pc` (see below) and adds the run's instructions
// to clock->time.
void begin_run(VexGuestAMD64State* guest);
void end_run(ClockState* clock, VexGuestAMD64State* guest, Addr pc);

// The time during a run: instructions retired, the whole superblock now
// running included.
inline uint64_t time_in_run(const ClockState& clock, const VexGuestAMD64State& guest) {
  return clock.time + guest.pad0;
}

// Called where the guest stopped (program counter `pc`): if it stopped in
// the middle of the superblock entered last (a fault), takes back the
// instructions that did not retire.  Either way no superblock is open after.
void settle_interrupted_superblock(ClockState* clock, VexGuestAMD64State* guest, Addr pc);

// Zeroes the clock's words in a copy of a guest state: they belong to the
// host that runs the code, not to the program (the recorder leaves them
// out of what it records).
void clear_clock_words(VexGuestAMD64State* guest);

// Forgets every shape (all translations have gone).
void forget_shapes(ClockState* clock);

// An IR expression of the time during a run (time_in_run) for code that
// the clock pass will follow, in flat form (its parts are added to `sb`).
IRExpr* time_in_run_expr(IRSB* sb, const ClockState* clock);

}  // namespace unstuck::timeline
