// The IR pass that makes a translation stop after any instruction that
// accessed a watched range.
//
// After every memory access (Load, Store, LoadG, StoreG, CAS, LLSC, and the
// dirty helpers that declare memory effects) it adds a filter that decides
// inline whether the access can touch a watched range of its kind:
//  - with at most kInlineWatchRanges such ranges, one unsigned comparison
//    per range (exact: a filter hit is a real hit);
//  - with more, a look-up of the access's first and last page in the
//    WatchPageMap (a maybe).
// Only when the filter passes does a guarded call to the probe
// (watch_monitor.h) run: it records the hit and answers whether it was one.
// Before the next instruction's IMark, an exit to that instruction leaves
// the block when the probes of this instruction answered yes.  After the
// block's last instruction there is no room for an exit (its successor may
// be computed, or taken by a side exit): there the probe's zeroed
// event-check counter stops the successor instead.
//
// The exits are precise only if every register is up to date at every
// instruction boundary, so translations with this pass are lifted with
// VexRegUpdAllregsAtEachInsn (translator.cc), as Valgrind's gdbserver does
// for the same reason.
//
// Runs after memory_rebase (addresses are host addresses: the constants
// compared with include kGuestBase) and before the clock pass, which then
// counts exactly the instructions before each added exit.
#pragma once

#include <cstddef>

extern "C" {
#include "libvex_basictypes.h"
#include "libvex_ir.h"
}

namespace unstuck::replay {

class WatchSet;

inline constexpr size_t kInlineWatchRanges = 4;

// Returns a copy of the flat, rebased `sb` with the checks added; `sb` is
// returned as it is when `watches` is empty.
IRSB* add_watch_checks(IRSB* sb, WatchSet& watches);

}  // namespace unstuck::replay
