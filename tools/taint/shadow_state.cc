#include "tools/taint/shadow_state.h"

#include "shared/shadow/shadow_registers_ir.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/vg/core_events.h"
#include "tools/taint/copy_ring.h"
#include "tools/taint/options.h"
#include "tools/taint/sources.h"

namespace unstuck::taint {
namespace {

LabelMap* g_memory = nullptr;
constexpr shadow::RegisterShadowLayout kLayout = shadow::amd64_register_shadow(4, 1);
constexpr int32_t kAreaOffset = shadow::kAmd64GuestStateBytes;  // area 1

#define GUEST_OFFSET(field) static_cast<int32_t>(offsetof(VexGuestAMD64State, field))

struct Field {
  int32_t offset;
  int32_t size;
};

// Guest state that never carries data derived from the program's input.
const Field kUntracked[] = {
    {0, 16},  // host_EvC_FAILADDR, host_EvC_COUNTER and padding
    {GUEST_OFFSET(guest_CC_OP), 8},
    {GUEST_OFFSET(guest_DFLAG), 8},
    {GUEST_OFFSET(guest_RIP), 8},
    {GUEST_OFFSET(guest_ACFLAG), 8},
    {GUEST_OFFSET(guest_IDFLAG), 8},
    {GUEST_OFFSET(guest_FS_CONST), 8},
    {GUEST_OFFSET(guest_FTOP), 8},
    {GUEST_OFFSET(guest_FPTAG), 8},
    {GUEST_OFFSET(guest_EMNOTE), 8},
    {GUEST_OFFSET(guest_CMSTART), 8},
    {GUEST_OFFSET(guest_CMLEN), 8},
    {GUEST_OFFSET(guest_NRADDR), 8},
    {GUEST_OFFSET(guest_SC_CLASS), 8},
    {GUEST_OFFSET(guest_GS_CONST), 8},
    {GUEST_OFFSET(guest_IP_AT_SYSCALL), 16},
};

bool inside(const Field& f, int32_t offset, int32_t size) {
  return offset >= f.offset && offset + size <= f.offset + f.size;
}

// Low and high element offsets (within the shadow area) of an access.
int32_t first_granule(int32_t offset) { return offset & ~3; }

uint32_t read_element(const uint8_t* guest_state, int32_t granule) {
  return *reinterpret_cast<const uint32_t*>(guest_state + kAreaOffset + granule);
}
void write_element(uint8_t* guest_state, int32_t granule, uint32_t value) {
  *reinterpret_cast<uint32_t*>(guest_state + kAreaOffset + granule) = value;
}

// A thread's guest state and shadow areas, copied in and out through the
// core (ThreadState is not the tool's to touch).
struct StateCopy {
  alignas(16) uint8_t bytes[3 * shadow::kAmd64GuestStateBytes];
};

// Bytes that LabelSets can label one by one (label_sets.h, single-byte
// labels): ids that encode source and offset once the labels are wide.
bool byte_labels_fit(SourceId source, uint64_t first, SizeT n) {
  return source < shadow::kByteLabelSources &&
         first + n <= (uint64_t{1} << shadow::kByteLabelOffsetBits);
}

// Bytes whose labels cannot be single-byte ids are labelled in blocks of
// this many, to keep the number of interned sets proportionate.
constexpr uint64_t kFallbackBlock = 16;

// After a system call (never in the middle of a superblock, and often
// enough): gives back the shadow pages of memory whose labels all went.
void trim_memory_labels(ThreadId, UInt, UWord*, UInt, SysRes) {
  if (g_memory->compaction_due()) g_memory->compact();
}

bool g_widening_requested = false;
uint64_t g_widened_at = 0;

void discard_all_translations(const HChar* why) {
  VG_(discard_translations)(0, ~ULong{0}, why);
}

bool g_labels_in_play = false;
uint64_t g_first_label_at = 0;

// The translations made so far have no propagation pass.
void put_labels_in_play() {
  if (g_labels_in_play) return;
  g_labels_in_play = true;
  g_first_label_at = timeline::now();
  discard_all_translations("taint: the first label");
}

// LabelSets' soft limit, maybe from a helper inside a translation: that
// translation finishes with the narrow map (the ids left below 2^16 are
// enough for it), and no translation runs again before the next is made.
void request_widening() {
  if (g_widening_requested) return;
  g_widening_requested = true;
  discard_all_translations("taint: labels widen to 32 bits");
}

// Only where no translation is running, and none made for the narrow map
// will run again.
void widen_labels() {
  if (!g_memory->narrow()) return;
  if (!g_widening_requested) discard_all_translations("taint: labels widen to 32 bits");
  g_memory->widen();
  label_sets().end_narrow();
  g_widening_requested = false;
  g_widened_at = timeline::now();
}

}  // namespace

void install_shadow_state() {
  core_events::on_post_syscall(trim_memory_labels);
}

void start_shadow_state() {
  const bool narrow = options().narrow_labels;
  g_memory = new LabelMap(narrow);
  if (narrow) label_sets().begin_narrow(options().narrow_label_limit, request_widening);
}

void widen_labels_if_requested() {
  if (g_widening_requested) widen_labels();
}

uint64_t labels_widened_at() { return g_widened_at; }

bool labels_in_play() { return g_labels_in_play; }
uint64_t first_label_time() { return g_first_label_at; }

LabelMap& memory_labels() { return *g_memory; }
const shadow::RegisterShadowLayout& register_layout() { return kLayout; }

// ---- Registers ---------------------------------------------------------------

bool is_tracked_register(int32_t offset, int32_t size) {
  for (const Field& f : kUntracked)
    if (inside(f, offset, size)) return false;
  return true;
}

bool is_word_field(int32_t offset, int32_t size) {
  int32_t field = offset & ~7;
  if (offset + size > field + 8) return false;
  if (field >= GUEST_OFFSET(guest_RAX) && field < GUEST_OFFSET(guest_YMM0)) return true;
  if (field >= GUEST_OFFSET(guest_FPREG) &&
      field < GUEST_OFFSET(guest_FPREG) + 8 * 8)
    return true;
  return field == GUEST_OFFSET(guest_FPROUND) || field == GUEST_OFFSET(guest_FC3210);
}

bool is_vector_register(int32_t offset, int32_t size) {
  const int32_t first = GUEST_OFFSET(guest_YMM0);
  const int32_t end = GUEST_OFFSET(guest_YMM16) + 32;
  return offset >= first && offset + size <= end &&
         vector_register_start(offset) == vector_register_start(offset + size - 1);
}

int32_t vector_register_start(int32_t offset) {
  const int32_t first = GUEST_OFFSET(guest_YMM0);
  return first + ((offset - first) & ~31);
}

int32_t copy_handle_offset(int32_t offset, int32_t size) {
  if (!is_tracked_register(offset, size)) return -1;
  if (is_word_field(offset, size)) return kAreaOffset + (offset & ~7) + 4;
  if (is_vector_register(offset, size)) return 2 * kAreaOffset + vector_register_start(offset);
  return -1;
}

int32_t register_shadow_offset(int32_t offset) { return kAreaOffset + offset; }

int32_t part_label_slot_offset(int slot) {
  static_assert(kMaxRegisterParts * 4 <= GUEST_OFFSET(guest_R15) + 8 - GUEST_OFFSET(guest_RAX),
                "the part labels' slots lie in shadow area 2 of the integer registers");
  return 2 * kAreaOffset + GUEST_OFFSET(guest_RAX) + 4 * slot;
}

LabelSetId register_label_in(const uint8_t* guest_state, int32_t offset,
                             int32_t size) {
  if (!is_tracked_register(offset, size)) return kEmptyLabelSet;
  if (is_word_field(offset, size)) return read_element(guest_state, offset & ~7);
  LabelSetId label = kEmptyLabelSet;
  for (int32_t g = first_granule(offset); g < offset + size; g += 4)
    label = union_labels(label, read_element(guest_state, g));
  return label;
}

void set_register_label_in(uint8_t* guest_state, int32_t offset, int32_t size,
                           LabelSetId label) {
  if (!is_tracked_register(offset, size)) return;
  if (is_word_field(offset, size)) {
    int32_t field = offset & ~7;
    LabelSetId old = read_element(guest_state, field);
    write_element(guest_state, field, size == 8 ? label : union_labels(old, label));
    write_element(guest_state, field + 4, 0);  // no copy handle any more
    return;
  }
  if (is_vector_register(offset, size))
    *reinterpret_cast<uint32_t*>(guest_state + 2 * kAreaOffset +
                                 vector_register_start(offset)) = 0;
  for (int32_t g = first_granule(offset); g < offset + size; g += 4) {
    bool whole = g >= offset && g + 4 <= offset + size;
    write_element(guest_state, g,
                  whole ? label : union_labels(read_element(guest_state, g), label));
  }
}

LabelSetId register_label(ThreadId tid, int32_t offset, int32_t size) {
  StateCopy copy;
  VG_(get_shadow_regs_area)(tid, copy.bytes + kAreaOffset, 1, 0, kAreaOffset);
  return register_label_in(copy.bytes, offset, size);
}

void set_register_label(ThreadId tid, int32_t offset, int32_t size,
                        LabelSetId label) {
  StateCopy copy;
  VG_(get_shadow_regs_area)(tid, copy.bytes + kAreaOffset, 1, 0, kAreaOffset);
  VG_(get_shadow_regs_area)(tid, copy.bytes + 2 * kAreaOffset, 2, 0, kAreaOffset);
  set_register_label_in(copy.bytes, offset, size, label);
  VG_(set_shadow_regs_area)(tid, 1, 0, kAreaOffset, copy.bytes + kAreaOffset);
  VG_(set_shadow_regs_area)(tid, 2, 0, kAreaOffset, copy.bytes + 2 * kAreaOffset);
}

// ---- Memory ----------------------------------------------------------------

namespace {

// The union of n elements side by side (n > 0).
template <typename Element>
LabelSetId union_of_elements(const Element* e, SizeT n) {
  bool uniform = true, sequential = (e[0] & shadow::kByteLabelFlag) != 0;
  for (SizeT i = 1; i < n; ++i) {
    uniform = uniform && e[i] == e[0];
    sequential = sequential && e[i] == e[0] + i;
  }
  if (uniform) return e[0];
  if (sequential) {
    // Consecutive bytes of one source (byte offsets never wrap into the
    // source bits: offsets below 2^27 were checked when labelling).
    LabelSetId first = e[0];
    SourceId source = (first & ~shadow::kByteLabelFlag) >> shadow::kByteLabelOffsetBits;
    uint64_t offset = first & ((1u << shadow::kByteLabelOffsetBits) - 1);
    LabelSetId last = e[n - 1];
    if ((last >> shadow::kByteLabelOffsetBits) == (first >> shadow::kByteLabelOffsetBits))
      return range_label(source, offset, offset + n);
  }
  LabelUnion u;
  for (SizeT i = 0; i < n; ++i) u.add(e[i]);
  return u.finish();
}

}  // namespace

LabelSetId memory_label(Addr a, SizeT n) {
  if (n == 0) return kEmptyLabelSet;
  // The common small case: elements side by side in one chunk.
  if (a < shadow::kPrimaryLimit &&
      (a & (shadow::kChunkBytes - 1)) + n <= shadow::kChunkBytes && n <= 64) {
    const shadow::ShadowTable& table = g_memory->table();
    const uint8_t* elements = table.chunk_for_read(a) + table.element_offset(a);
    if (g_memory->narrow())
      return union_of_elements(reinterpret_cast<const uint16_t*>(elements), n);
    return union_of_elements(reinterpret_cast<const uint32_t*>(elements), n);
  }
  LabelUnion u;
  g_memory->for_each_run(a, n, [&](uint64_t, uint64_t, uint32_t value) { u.add(value); });
  return u.finish();
}

void set_memory_label(Addr a, SizeT n, LabelSetId label) {
  if (n > 0) g_memory->set_range(a, n, label);
}

// Gives each block-aligned piece of [a, a + n) one label: the block's
// range of the source, widened as coarsening says.
void label_memory_blocks(Addr a, SizeT n, SourceId source, uint64_t first, uint64_t block) {
  for (SizeT done = 0; done < n;) {
    uint64_t offset = first + done;
    uint64_t block_end = (offset | (block - 1)) + 1;
    SizeT piece = block_end - offset < n - done ? block_end - offset : n - done;
    g_memory->set_range(a + done, piece,
                        range_label(source, offset & ~(block - 1), block_end));
    done += piece;
  }
}

void label_memory_bytes(Addr a, SizeT n, SourceId source, uint64_t first) {
  if (n == 0) return;
  put_labels_in_play();
  note_labelled(source, first, first + n);
  // Once ranges are coarsened, labelling bytes one by one would only make
  // every later union widen them again: label whole blocks at once.
  if (coarsening_shift() > 0) {
    label_memory_blocks(a, n, source, first, uint64_t{1} << coarsening_shift());
    return;
  }
  if (!byte_labels_fit(source, first, n)) {
    label_memory_blocks(a, n, source, first, kFallbackBlock);
    return;
  }
  shadow::LabelSets& sets = label_sets();
  if (sets.narrow() && !sets.narrow_room_for(n)) widen_labels();
  if (!sets.byte_labels_encoded(source, first, first + n)) {
    for (SizeT i = 0; i < n; ++i) g_memory->set(a + i, sets.byte_label(source, first + i));
    return;
  }
  for (SizeT done = 0; done < n;) {
    Addr at = a + done;
    SizeT in_chunk = shadow::kChunkBytes - (at & (shadow::kChunkBytes - 1));
    SizeT piece = in_chunk < n - done ? in_chunk : n - done;
    g_memory->set_ascending(at, piece, sets.byte_label(source, first + done));
    done += piece;
  }
}

}  // namespace unstuck::taint
