#include "tools/lifetime/access_recording.h"

#include "shared/timeline/instruction_clock.h"
#include "tools/lifetime/functions.h"
#include "tools/lifetime/misuse.h"
#include "tools/lifetime/object_table.h"
#include "tools/lifetime/options.h"
#include "tools/lifetime/running_thread.h"

namespace unstuck::lifetime {
namespace {

ObjectTable* g_objects = nullptr;
uint32_t g_syscall_function = 0;

// ---- Bytes written: one bit per byte ---------------------------------------
//
// The bitmap has a spare byte at its end, so that the bits of any access of
// up to 9 bytes can be read and written as one 16-bit word.

inline uint16_t load16(const uint8_t* p) {
  uint16_t v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void store16(uint8_t* p, uint16_t v) { __builtin_memcpy(p, &v, sizeof v); }
inline uint64_t load64(const uint16_t* p) {
  uint64_t v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void store64(uint16_t* p, uint64_t v) { __builtin_memcpy(p, &v, sizeof v); }

// The bits of [begin, begin + n) within the word at byte begin / 8; n <= 9.
inline uint16_t word_mask(uint64_t begin, uint64_t n) {
  return static_cast<uint16_t>(((1u << n) - 1) << (begin & 7));
}

// Sets bits [begin, end); returns how many were not set before.
uint64_t set_bits(uint8_t* bits, uint64_t begin, uint64_t end) {
  if (end - begin <= 9) {
    uint8_t* word = bits + (begin >> 3);
    const uint16_t old = load16(word);
    const uint16_t fresh = word_mask(begin, end - begin) & ~old & 0xFFFFu;
    // Most writes rewrite written bytes; popcount is a libgcc call here.
    if (fresh == 0) return 0;
    store16(word, old | fresh);
    return __builtin_popcount(fresh);
  }
  uint64_t added = 0;
  auto set_one = [&](uint64_t at) {
    const uint8_t bit = static_cast<uint8_t>(1u << (at & 7));
    added += (bits[at >> 3] & bit) == 0;
    bits[at >> 3] |= bit;
  };
  for (; begin < end && (begin & 7) != 0; ++begin) set_one(begin);
  for (; begin + 8 <= end; begin += 8) {
    added += 8 - __builtin_popcount(bits[begin >> 3]);
    bits[begin >> 3] = 0xFF;
  }
  for (; begin < end; ++begin) set_one(begin);
  return added;
}

bool all_bits_set(const uint8_t* bits, uint64_t begin, uint64_t end) {
  if (end - begin <= 9) {
    uint16_t mask = word_mask(begin, end - begin);
    return (load16(bits + (begin >> 3)) & mask) == mask;
  }
  for (; begin < end && (begin & 7) != 0; ++begin)
    if (!(bits[begin >> 3] & (1u << (begin & 7)))) return false;
  for (; begin + 8 <= end; begin += 8)
    if (bits[begin >> 3] != 0xFF) return false;
  for (; begin < end; ++begin)
    if (!(bits[begin >> 3] & (1u << (begin & 7)))) return false;
  return true;
}

// The written bits of [begin, end) of a block of up to 64 bytes.
inline uint64_t inline_mask(uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  return (n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1) << begin;
}

// A read counts as reading bytes never written when none of its bytes was
// written, and it is at most a word wide: wider reads are the vector loops
// of memchr, strlen and memcpy, which read ahead of the data on purpose,
// and a word that is partly written is usually a copy of a struct with its
// padding.  (memcheck follows definedness to where it matters; a load is
// all we see.)
inline bool is_read_before_write(const ShadowObject& object, uint64_t offset,
                                 uint64_t end, uint32_t size) {
  if (object.all_written || size > 8) return false;
  if (object.size <= kInlineWrittenBits)
    return (object.written_bits & inline_mask(offset, end)) == 0;
  if (object.written == nullptr) return true;
  return (load16(object.written + (offset >> 3)) & word_mask(offset, end - offset)) == 0;
}

// ---- Per-offset counts -------------------------------------------------------

// Adds one to four saturating 16-bit counters at once, unless one of them
// is saturated (rare): then one by one.
inline void count_four(uint16_t* counts) {
  const uint64_t kOnes = 0x0001000100010001ull;
  const uint64_t x = load64(counts);
  const uint64_t inverted = ~x;  // a saturated counter is a zero lane here
  if (((inverted - kOnes) & ~inverted & 0x8000800080008000ull) == 0) {
    store64(counts, x + kOnes);
    return;
  }
  for (int i = 0; i < 4; ++i)
    if (counts[i] != 0xFFFF) ++counts[i];
}

void count_offsets(ShadowObject& object, uint64_t begin, uint64_t end) {
  if (object.histogram == nullptr) {
    if (object.size > g_options.histogram_max) return;
    object.histogram = new uint16_t[object.size + 3]();  // + 3: count_four
  }
  uint16_t* counts = object.histogram;
  uint64_t i = begin;
  for (; i + 4 <= end; i += 4) count_four(counts + i);
  for (; i < end; ++i)
    if (counts[i] != 0xFFFF) ++counts[i];
}

// ---- Functions -----------------------------------------------------------------

// The counter of `function`, made if need be: when all are taken, the
// least used one is given up (its counts are lost, and said so).
FunctionCount& function_counter(ShadowObject& object, uint32_t function) {
  for (uint8_t i = 0; i < object.function_count; ++i)
    if (object.functions[i].function == function) {
      object.last_function = i;
      return object.functions[i];
    }
  uint8_t slot = object.function_count;
  if (slot < kTrackedFunctions) {
    ++object.function_count;
  } else {
    slot = 0;
    for (uint8_t i = 1; i < kTrackedFunctions; ++i)
      if (object.functions[i].reads + object.functions[i].writes <
          object.functions[slot].reads + object.functions[slot].writes)
        slot = i;
    object.approximate_functions = true;
  }
  object.functions[slot] = FunctionCount{function, 0, 0};
  object.last_function = slot;
  return object.functions[slot];
}

void count_function(ShadowObject& object, uint32_t function, bool is_write) {
  FunctionCount* counter = &object.functions[object.last_function];
  if (object.function_count == 0 || counter->function != function)
    counter = &function_counter(object, function);
  uint32_t& count = is_write ? counter->writes : counter->reads;
  if (count != 0xFFFFFFFFu) ++count;
}

// ---- One access ------------------------------------------------------------------

// An access of `size` bytes of which [offset, end) lie inside the block
// (DHAT counts the whole size when it starts inside).
inline __attribute__((always_inline)) void record(ShadowObject& object, uint64_t offset,
                                                  uint64_t end, uint32_t size, bool is_write,
                                                  uint64_t time, uint32_t function) {
  if (is_write) {
    if (object.bytes_written == 0) object.first_write = time;
    object.bytes_written += size;
    object.last_write = time;
    mark_written(object, offset, end - offset);
  } else {
    if (object.bytes_read == 0) object.first_read = time;
    object.bytes_read += size;
    object.last_read = time;
    if (is_read_before_write(object, offset, end, size)) {
      ++object.uninitialised_reads;
      // Reported once per object: one stack says where to look.
      if (object.misuse_counts[static_cast<int>(Misuse::kReadBeforeWrite)] == 0)
        report_access_misuse(object, Misuse::kReadBeforeWrite, false, size,
                             static_cast<int64_t>(offset), time);
    }
  }
  if (end > object.touched_end) object.touched_end = end;
  count_offsets(object, offset, end);
  object.threads |= g_running.bit;
  if (g_running.bit == 0) object.more_threads = true;
  count_function(object, function, is_write);
}

// glibc's string functions (strlen, strcpy, strstr, memchr...) read whole
// vectors past the end of a string, and ahead of it, aligned or not, on
// purpose: those bytes are read but never used, and may belong to a
// neighbouring block, live or freed.  memcheck replaces the functions;
// lifetime runs them, so a vector read (more than 8 bytes) outside a live
// block, or of a freed one, is never reported, and nor is an aligned word
// that runs past a block's end (memcheck's "partial loads").  The bytes
// inside a live block still count.
bool is_deliberate_overread(Addr addr, uint32_t size, bool is_write,
                            bool starts_inside) {
  if (is_write) return false;
  return size > 8 || (starts_inside && size == 8 && (addr & 7) == 0);
}

// Off the common path: the access is not entirely inside a live block.
__attribute__((noinline)) void unusual_access(ShadowObject& object, uint32_t entry,
                                              Addr addr, uint32_t size,
                                              bool is_write, uint64_t time,
                                              uint32_t function) {
  const int64_t offset = static_cast<int64_t>(addr - object.base);
  if (object.state == ObjectState::kFreed) {
    if (!is_deliberate_overread(addr, size, is_write, false))
      report_access_misuse(object, Misuse::kUseAfterFree, is_write, size, offset, time);
    return;
  }
  const bool starts_inside =
      !is_redzone(entry) && offset >= 0 && static_cast<uint64_t>(offset) < object.size;
  if (starts_inside)
    record(object, offset, object.size, size, is_write, time, function);
  if (!is_deliberate_overread(addr, size, is_write, starts_inside))
    report_access_misuse(object, Misuse::kOutOfBounds, is_write, size, offset, time);
}

inline void access(HWord addr, HWord packed, bool is_write) {
  uint32_t entry = g_objects->entry_at(addr);
  const uint32_t size = packed & 0xFFFF;
  // The check covers every granule the access touches: it may start
  // outside any object and end in one.
  if (entry == 0) entry = g_objects->entry_at(addr + size - 1);
  if (entry == 0 || running_inside_allocator()) return;
  ShadowObject& object = *g_objects->object(id_of(entry));
  const uint64_t time = timeline::time_of_instruction((packed >> 16) & 0xFFFF);
  const uint32_t function = static_cast<uint32_t>(packed >> 32);
  const uint64_t offset = addr - object.base;  // huge when before the block
  if (__builtin_expect(!is_redzone(entry) && object.state != ObjectState::kFreed &&
                           offset + size <= object.size && offset < object.size,
                       1)) {
    record(object, offset, offset + size, size, is_write, time, function);
    return;
  }
  unusual_access(object, entry, addr, size, is_write, time, function);
}

}  // namespace

void install_access_recording(ObjectTable* objects) {
  g_objects = objects;
  g_syscall_function = function_named("(system call)");
}

void on_load(HWord addr, HWord packed) { access(addr, packed, false); }
void on_store(HWord addr, HWord packed) { access(addr, packed, true); }

void record_core_access(Addr addr, uint64_t size, bool is_write) {
  if (size == 0) return;
  uint32_t entry = g_objects->entry_at(addr);
  if (entry == 0 || is_redzone(entry) || running_inside_allocator()) return;
  ShadowObject& object = *g_objects->object(id_of(entry));
  const uint64_t offset = addr - object.base;
  if (object.state == ObjectState::kFreed || offset >= object.size) return;
  const uint64_t end = offset + size < object.size ? offset + size : object.size;
  const uint32_t counted = size > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(size);
  record(object, offset, end, counted, is_write, timeline::now(), g_syscall_function);
}

void mark_written(ShadowObject& object, uint64_t from, uint64_t size) {
  if (object.all_written || size == 0) return;
  if (object.size <= kInlineWrittenBits) {
    const uint64_t fresh = inline_mask(from, from + size) & ~object.written_bits;
    if (fresh == 0) return;  // nothing new: the common case
    object.written_count += __builtin_popcountll(fresh);
    object.written_bits |= fresh;
  } else {
    if (object.written == nullptr) object.written = new_written_bits(object.size);
    object.written_count += set_bits(object.written, from, from + size);
  }
  if (object.written_count == object.size) {
    object.all_written = true;
    delete_written_bits(object.written, object.size);
    object.written = nullptr;
  }
}

void copy_written(const ShadowObject& from, uint64_t bytes, ShadowObject& to) {
  if (from.all_written) {
    mark_written(to, 0, bytes);
    return;
  }
  for (uint64_t at = 0; at < bytes;) {  // runs of written bytes
    while (at < bytes && !all_written(from, at, at + 1)) ++at;
    uint64_t run = at;
    while (run < bytes && all_written(from, run, run + 1)) ++run;
    mark_written(to, at, run - at);
    at = run;
  }
}

bool all_written(const ShadowObject& object, uint64_t from, uint64_t end) {
  if (object.all_written) return true;
  if (object.size <= kInlineWrittenBits) {
    const uint64_t mask = inline_mask(from, end);
    return (object.written_bits & mask) == mask;
  }
  return object.written != nullptr && all_bits_set(object.written, from, end);
}

}  // namespace unstuck::lifetime
