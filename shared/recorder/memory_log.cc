#include "shared/recorder/memory_log.h"

#include "shared/recorder/trace_output.h"
#include "shared/rt/vector.h"
#include "shared/timeline/instruction_clock.h"
#include "shared/trace/event_records.h"
#include "shared/vg/core_events.h"

namespace unstuck::recorder {
namespace {

using trace::ByteSpan;
using trace::EventKind;
using trace::MapKind;

constexpr SizeT kPage = 4096;
// Large writes are split so that no event holds more than this.
constexpr SizeT kMaxBytesPerEvent = 256 * 1024;

uint32_t protection(Bool r, Bool w, Bool x) {
  return (r ? VKI_PROT_READ : 0) | (w ? VKI_PROT_WRITE : 0) |
         (x ? VKI_PROT_EXEC : 0);
}

ByteSpan span(const void* p, SizeT n) {
  return ByteSpan{static_cast<const uint8_t*>(p), n};
}

bool page_is_zero(const uint8_t* page, SizeT len) {
  const ULong* words = reinterpret_cast<const ULong*>(page);
  for (SizeT i = 0; i < len / 8; ++i)
    if (words[i] != 0) return false;
  for (SizeT i = len & ~SizeT(7); i < len; ++i)
    if (page[i] != 0) return false;
  return true;
}

void write_bytes(Addr a, SizeT len) {
  for (SizeT done = 0; done < len; done += kMaxBytesPerEvent) {
    SizeT n = len - done < kMaxBytesPerEvent ? len - done : kMaxBytesPerEvent;
    trace::BytesRecord{a + done, span((void*)(a + done), n)}
        .write(events(), timeline::now());
    event_written();
  }
}

// Non-zero runs of pages, as Bytes events: for anonymous memory, which the
// replayer's memory already holds as zeros.
void write_nonzero_pages(Addr start, SizeT len) {
  Addr run = 0;
  SizeT run_len = 0;
  for (Addr a = start; a < start + len; a += kPage) {
    SizeT n = start + len - a < kPage ? start + len - a : kPage;
    if (page_is_zero(reinterpret_cast<const uint8_t*>(a), n)) {
      if (run_len) write_bytes(run, run_len);
      run_len = 0;
      continue;
    }
    if (run_len == 0) run = a;
    run_len += n;
  }
  if (run_len) write_bytes(run, run_len);
}

// Bytes of a file mapping that may be read: pages wholly past the end of
// the file raise SIGBUS, in Valgrind as in the client.
SizeT readable_file_bytes(const NSegment* seg, Addr a, SizeT len) {
  const HChar* name = VG_(am_get_filename)(seg);
  struct vg_stat st;
  if (name == nullptr || sr_isError(VG_(stat)(name, &st))) return len;
  ULong offset_of_a = (ULong)seg->offset + (a - seg->start);
  if (st.size <= (Long)offset_of_a) return 0;
  ULong available = (ULong)st.size - offset_of_a;
  available = (available + kPage - 1) & ~(ULong)(kPage - 1);
  return available < len ? (SizeT)available : len;
}

// Mapped file contents go to the blob store: the same library is stored
// once for every trace under the root.
void write_file_contents(const NSegment* seg, Addr a, SizeT len) {
  SizeT n = readable_file_bytes(seg, a, len);
  if (n == 0) return;
  trace::ContentHash hash;
  if (!store_blob((const void*)a, n, &hash)) return;
  trace::BlobRecord{a, n, hash}.write(events(), timeline::now());
  event_written();
}

MapKind kind_of(const NSegment* seg) {
  if (seg == nullptr) return MapKind::Anonymous;
  if (seg->kind == SkResvn) return MapKind::StackReserve;
  if (seg->kind == SkFileC) return MapKind::File;
  if (seg->kind == SkShmC) return MapKind::Shared;
  return seg->isCH ? MapKind::Heap : MapKind::Anonymous;
}

void write_map(Addr a, SizeT len, uint32_t prot, const NSegment* seg) {
  MapKind kind = kind_of(seg);
  const HChar* name = kind == MapKind::File ? VG_(am_get_filename)(seg) : nullptr;
  ULong offset = kind == MapKind::File ? (ULong)seg->offset + (a - seg->start) : 0;
  trace::MapRecord{a, len, prot, kind, offset,
                   span(name, name ? VG_(strlen)(name) : 0)}
      .write(events(), timeline::now());
  event_written();
}

void write_contents(const NSegment* seg, Addr a, SizeT len) {
  if (seg == nullptr || !seg->hasR) return;
  if (seg->kind == SkFileC)
    write_file_contents(seg, a, len);
  else
    write_nonzero_pages(a, len);
}

// ---- core events -------------------------------------------------------

void on_mmap(Addr a, SizeT len, Bool r, Bool w, Bool x, ULong) {
  if (!is_recording()) return;
  const NSegment* seg = VG_(am_find_nsegment)(a);
  write_map(a, len, protection(r, w, x), seg);
  // A new anonymous mapping is zero, as the replayer makes it.
  if (seg != nullptr && seg->kind == SkFileC && r) write_file_contents(seg, a, len);
}

void on_munmap(Addr a, SizeT len) {
  if (!is_recording()) return;
  trace::RangeRecord{a, len}.write(events(), EventKind::Unmap, timeline::now());
  event_written();
}

void on_remap(Addr from, Addr to, SizeT len) {
  if (!is_recording()) return;
  trace::RemapRecord{from, to, len}.write(events(), timeline::now());
  event_written();
}

void on_mprotect(Addr a, SizeT len, Bool r, Bool w, Bool x) {
  if (!is_recording()) return;
  trace::ProtectRecord{a, len, protection(r, w, x)}.write(events(), timeline::now());
  event_written();
  // File contents never logged while the pages were unreadable are needed
  // now; logging readable ones again is harmless.
  const NSegment* seg = VG_(am_find_nsegment)(a);
  if (r && seg != nullptr && seg->kind == SkFileC) write_file_contents(seg, a, len);
}

// Valgrind zeroes the heap when the break shrinks, so new break memory is
// zero, as the replayer makes a new mapping.
void on_brk(Addr a, SizeT len, ThreadId) {
  if (!is_recording()) return;
  write_map(a, len, VKI_PROT_READ | VKI_PROT_WRITE, VG_(am_find_nsegment)(a));
}

void on_mem_write(CorePart, ThreadId, Addr a, SizeT size) {
  if (is_recording()) write_bytes(a, size);
}

// A reservation just below client memory is where a stack grows.
bool is_stack_reserve(const NSegment* seg) {
  if (seg->kind != SkResvn) return false;
  const NSegment* above = VG_(am_find_nsegment)(seg->end + 1);
  return above != nullptr && above->kind == SkAnonC;
}

Vector<Addr> client_segment_starts() {
  const UInt kinds = SkFileC | SkAnonC | SkShmC | SkResvn;
  Vector<Addr> starts;
  starts.resize(64);
  Int got = VG_(am_get_segment_starts)(kinds, starts.data(), starts.size());
  if (got < 0) {  // too small: the call says how many it needs
    starts.resize(-got);
    got = VG_(am_get_segment_starts)(kinds, starts.data(), starts.size());
  }
  UNSTUCK_CHECK(got >= 0 && (SizeT)got <= starts.size());
  starts.resize(got);
  return starts;
}

}  // namespace

void install_memory_log() {
  core_events::on_new_mem_mmap(on_mmap);
  core_events::on_die_mem_munmap(on_munmap);
  core_events::on_copy_mem_remap(on_remap);
  core_events::on_change_mem_mprotect(on_mprotect);
  core_events::on_new_mem_brk(on_brk);
  core_events::on_die_mem_brk(on_munmap);
  core_events::on_post_mem_write(on_mem_write);
}

void log_whole_address_space() {
  for (Addr start : client_segment_starts()) {
    const NSegment* seg = VG_(am_find_nsegment)(start);
    if (seg == nullptr || (seg->kind == SkResvn && !is_stack_reserve(seg))) continue;
    SizeT len = seg->end - seg->start + 1;
    write_map(seg->start, len, protection(seg->hasR, seg->hasW, seg->hasX), seg);
    write_contents(seg, seg->start, len);
  }
  // The trampoline symbols are labels in Valgrind's assembly: their
  // addresses are the bounds.
  Addr t0 = (Addr)&VG_(trampoline_stuff_start);
  Addr t1 = (Addr)&VG_(trampoline_stuff_end);
  write_map(t0, t1 - t0, VKI_PROT_READ | VKI_PROT_EXEC, nullptr);
  write_bytes(t0, t1 - t0);
}

void log_memory_written(Addr a, SizeT len) {
  if (is_recording()) write_bytes(a, len);
}

}  // namespace unstuck::recorder
