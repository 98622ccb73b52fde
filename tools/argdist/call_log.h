// The log of traced entries and passing returns that the generated code
// writes, and the copy of the frames' entry stack pointers it keeps to
// check returns without a call.
//
// A traced call used to cost two helper calls, each finding the function's
// records while guest code waited.  Now a traced function whose values can
// all be taken later (arguments in registers, no string to read, no
// allocator, no ifunc resolver) writes its entry into the log with a few
// stores: the function, the stack pointer, the return address, the time
// and the argument registers.  A return that passes the top frame calls a
// small helper that logs [kReturnEvent, stack pointer, destination, rax,
// xmm0, time].  The log is replayed by call_tracker.cc in order, with the
// same frame logic as before, when it fills and whenever its state is
// read or could change under it: a report, any entry taking the slow path,
// a system call and a thread switch (pointers are classified at the
// replay, against the address space, which only system calls change, and
// the heap blocks, which only allocator calls change, and those replay).
//
// The generated code needs the top frame's entry stack pointer after every
// entry and return (the return check compares with it, call_tracker.h):
// the mirror holds it for each frame, with a flag asking for the log to be
// replayed as soon as the frame returns (frames of functions taken by the
// slow path, whose results are classified at once).  Slot 0 is a sentinel
// (all ones: no frame), frame k of the running thread is slot k + 1.
#pragma once

#include <stdint.h>

#include "shared/vg/valgrind_api.h"

namespace unstuck::argdist {

// Word 0 of a return event; an entry's is its FunctionRecord* (16-byte
// aligned) plus the number of xmm words it logs, so that the log is walked
// without reading the records.
constexpr uint64_t kReturnEvent = 1;
constexpr uint64_t kSseWordsMask = 15;
// An entry: [function, sp, return address, time,
//            rdi, rsi, rdx, rcx, r8, r9, low halves of xmm0.. as needed].
// (Only entries that pop no frame are logged: below the top frame, or at
// its stack pointer and reached by a jump, its tail call.  The replay
// tells them apart by the stack pointer alone: it takes a logged entry as
// not reached by a call.)
constexpr uint32_t kEntryHeaderWords = 4;
constexpr uint32_t kEntryIntegerWords = 6;
constexpr uint32_t kMaxSseWords = 8;
constexpr uint32_t kMaxEntryWords = kEntryHeaderWords + kEntryIntegerWords + kMaxSseWords;
// A return: [kReturnEvent, sp, destination, rax, low half of xmm0, now].
constexpr uint32_t kReturnWords = 6;

struct FunctionRecord;

inline struct FunctionRecord* logged_function(uint64_t word0) {
  return reinterpret_cast<struct FunctionRecord*>(word0 & ~kSseWordsMask);
}
inline uint32_t event_words(uint64_t word0) {
  return word0 == kReturnEvent
             ? kReturnWords
             : kEntryHeaderWords + kEntryIntegerWords + static_cast<uint32_t>(word0 & kSseWordsMask);
}

struct MirrorSlot {
  uint64_t entry_sp;
  uint64_t replay_on_return;  // 1: replay the log when this frame returns
};

// The words the generated code reads and writes at a traced entry, in one
// struct: it reaches them from one base register, loaded from
// g_call_log_address, where VEX would materialise a 64-bit address
// constant at every use of a separate global (16 of them per entry).
struct CallLogWords {
  // The next free word of the log, and the point beyond which it is
  // replayed (room for one more event of any kind remains after it).
  uint64_t* cursor;
  uint64_t* limit;
  // The running thread's frames (see above): slots [1, depth] are in use;
  // inline pushes need depth below mirror_room.
  MirrorSlot* mirror;
  uint64_t mirror_depth;
  uint64_t mirror_room;
  // What the return check compares the stack pointer with after every
  // `ret` (call_tracker.h): the top frame's entry stack pointer.
  uint64_t return_watch;
  // The stack pointer the last `call` left (0 once a traced entry took it).
  uint64_t last_call_sp;
};
extern CallLogWords g_call_log;
extern CallLogWords* g_call_log_address;  // &g_call_log

void install_call_log();
// The log's first word (events run from here to g_call_log.cursor), and emptied.
uint64_t* log_start();
void clear_log();
// Makes room for `depth` frames in the mirror (keeping the slots in use).
void reserve_mirror(uint64_t depth);

}  // namespace unstuck::argdist
