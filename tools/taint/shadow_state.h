// Where labels live: one label-set id per byte of memory (a shadow map)
// and per 4-byte granule of each thread's guest state (shadow area 1, see
// shared/shadow/shadow_registers.h), with the tool's conventions on top.
//
// Conventions for registers:
//   * Untracked guest state (the program counter, the flags-thunk
//     operation, the x87 stack top and tags, emulation notes, ...) never
//     holds a label: reads of it are the empty set, writes are dropped.
//   * A "word field" is an 8-byte integer register or x87 register (RAX,
//     CC_DEP1, FPREG[3], ...).  Its low element is the label of the whole
//     register: a read of any part is one 32-bit load, and a partial write
//     (AL, AX) merges into it.  Its high element is the register's copy
//     handle (below).  The vector registers keep an element per 4 bytes,
//     and their copy handle in shadow area 2, at the register's offset.
//   * A copy handle says "this register holds, unmodified, bytes whose
//     labels are in entry N of the copy ring" (copy_ring.h), so that a
//     value loaded in one superblock and stored in a later one keeps the
//     label of each byte.  0 means no handle; every write of the register
//     sets or clears it.
//   * Shadow area 2 of the integer registers (where the vector registers
//     keep their handles) is scratch: the labels of parts of registers a
//     superblock computes at its start (copy_ring.h RegisterPart), in
//     32-bit slots, valid only during that superblock.
#pragma once

#include <stdint.h>

#include "shared/shadow/shadow_registers.h"
#include "shared/vg/valgrind_api.h"
#include "tools/taint/label_map.h"
#include "tools/taint/labels.h"

namespace unstuck::taint {

void install_shadow_state();
// After the command line: makes the memory's label map, narrow (16-bit
// ids) unless --narrow-labels=no.  Call after install_labels().
void start_shadow_state();

LabelMap& memory_labels();

// ---- Before the first label ---------------------------------------------------
//
// Until a source labels its first byte, no register and no byte of memory
// holds a label, and none can get one but from a source: the propagation
// would only copy empty labels about.  So translations made before then
// get no propagation pass (the clock and the recorder still count and
// record them), and the first label discards every translation, from a
// system call, a client request or the start, none of which runs inside
// one.  A program that reads its input late runs at the speed of the
// clock until then (python3's start-up, before it reads a tainted script:
// 0.88 s instead of 2.69 s), though code that runs both before and after
// is translated twice.

// For instrument(): whether a label exists (or has existed) anywhere.
bool labels_in_play();
// 0 until the first label; then its time.
uint64_t first_label_time();

// ---- Narrow and wide labels ----------------------------------------------------
//
// While narrow, label sets are interned in narrow mode (label_sets.h) and
// memory holds 16-bit ids.  When the ids reach --narrow-label-limit (set
// far enough below 2^16 that the rest of a superblock cannot pass 2^16),
// every translation is discarded, wherever that happens, and the map widens
// to 32 bits before the next translation is made; a source about to label
// more bytes than narrow ids are left widens at once (a system call is
// not inside a translation).

// For instrument(): widens if the ids asked for it.  Translations made
// after this see the map's final width for as long as they exist.
void widen_labels_if_requested();
// 0 while narrow (or never narrow); else the time the map widened.
uint64_t labels_widened_at();
const shadow::RegisterShadowLayout& register_layout();

// ---- Registers ---------------------------------------------------------------

// Guest-state bytes [offset, offset + size) may hold labels.
bool is_tracked_register(int32_t offset, int32_t size);
// The access lies inside one word field (see above).
bool is_word_field(int32_t offset, int32_t size);
// The access lies inside one vector register (YMM0..YMM16); its first
// byte's offset.
bool is_vector_register(int32_t offset, int32_t size);
int32_t vector_register_start(int32_t offset);
// Where a register's copy handle lives (a guest-state offset in shadow
// area 1 or 2), or -1 for registers without one.
int32_t copy_handle_offset(int32_t offset, int32_t size);
// The guest-state offset of the label element of guest byte `offset`.
int32_t register_shadow_offset(int32_t offset);
// The guest-state offset of part-label scratch slot `slot` (see above).
int32_t part_label_slot_offset(int slot);

// The union of the labels of guest bytes [offset, offset + size) of a
// guest state whose shadow area 1 starts `area_offset` bytes after
// `guest_state`, and the same set as the labels of the whole access.  The
// ThreadId forms read the thread's state through the core.
LabelSetId register_label(ThreadId tid, int32_t offset, int32_t size);
void set_register_label(ThreadId tid, int32_t offset, int32_t size,
                        LabelSetId label);
LabelSetId register_label_in(const uint8_t* guest_state, int32_t offset,
                             int32_t size);
void set_register_label_in(uint8_t* guest_state, int32_t offset, int32_t size,
                           LabelSetId label);

// ---- Memory ----------------------------------------------------------------

// The union of the labels of [a, a + n).
LabelSetId memory_label(Addr a, SizeT n);
void set_memory_label(Addr a, SizeT n, LabelSetId label);
// Gives byte i of [a, a + n) the label {source: [first + i, first + i + 1)}.
void label_memory_bytes(Addr a, SizeT n, SourceId source, uint64_t first);

}  // namespace unstuck::taint
