// The shadow map: application address -> shadow element, over the whole
// 64-bit address space.
//
// A tool picks the element type (uint8_t .. uint64_t: a label-set id per
// byte for taint, an object id per granule for lifetime) and a granule G
// (a power of two): one element shadows G application bytes.  Every
// operation is defined on granules: a range touches every granule that any
// of its bytes falls in.
//
// Layout (docs/shadow-core.md has the picture):
//   * application space is cut into 64 KB chunks; a chunk's shadow is one
//     array of 65536 / G elements;
//   * chunk numbers below 2^21 (addresses below 2^37, where all of a guest's
//     memory lives on amd64-linux except the vsyscall page) index a flat
//     primary table, so a lookup is two dependent loads; the rest live in a
//     hash map, O(1) too, slower but rarely used;
//   * every chunk that holds only the default value points at one shared,
//     never-written "distinguished" chunk; the first non-default write makes
//     a private copy, and making a whole chunk default again frees it;
//   * a primary entry holds its chunk's distance from the distinguished
//     chunk, so that an entry of zero means "default": the 16 MB table sits
//     on fresh zero pages and only the pages covering memory the guest has
//     shadowed are ever written (resident);
//   * a private chunk lies on fresh zero pages too, and is cut into pieces
//     (1 KB of application space, or one granule if that is bigger) with a
//     "live" byte each in a map indexed by address: a piece that is not live
//     holds only the default, so a store of the default there is skipped and
//     its page stays uncommitted (unless a freed chunk's earlier owner wrote
//     it: see recycle_chunk).  A chunk with
//     a few labels in it costs the pages of its live pieces, not 64 KB / G
//     elements (the guest's heap mostly holds untainted bytes written all
//     over, next to a few tainted ones).
//
// Ranges are (start, size) in bytes and may run past the top of the address
// space: they wrap to address 0, as the guest's own address arithmetic does.
// Iteration reports maximal runs of equal non-default elements as
// [start, start + size).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <type_traits>

#include "shared/rt/hash_map.h"
#include "shared/rt/vector.h"

namespace unstuck::shadow {

inline constexpr unsigned kChunkShift = 16;
inline constexpr uint64_t kChunkBytes = uint64_t{1} << kChunkShift;
// Addresses below this find their chunk in the flat primary table.
inline constexpr unsigned kPrimaryShift = 37;
inline constexpr uint64_t kPrimaryLimit = uint64_t{1} << kPrimaryShift;
inline constexpr uint64_t kPrimaryEntries = kPrimaryLimit >> kChunkShift;
// Granules bigger than this would make chunks too small to be worth it.
inline constexpr unsigned kMaxGranuleBytes = 4096;
// Pieces are at least this much application space (1 KB: 4 KB of shadow,
// one page, with 4-byte elements per byte; 2 KB with 2-byte elements and 4
// KB with 1-byte ones, so that a piece's shadow is never less than a page).
inline constexpr unsigned kMinPieceShift = 10;

struct MemoryUse {
  size_t private_chunks;
  size_t private_bytes;  // chunks holding non-default data (address space)
  size_t live_bytes;     // the part of them in live pieces (resident at most)
  size_t fixed_bytes;    // primary table, distinguished chunk, high index
};

class ShadowTable;

// What emitted IR needs to walk the table inline (see shadow_ir.h).  All
// pointers stay valid for the life of the table.
struct TableView {
  // kPrimaryEntries entries: a chunk's address is distinguished + entry.
  const uint64_t* primary;
  const uint8_t* distinguished;  // the all-default chunk
  // By (addr >> piece_shift) for addresses below kPrimaryLimit: non-zero
  // when the piece is live (which implies its chunk is private).
  const uint8_t* live_pieces;
  unsigned piece_shift;          // log2 of a piece's application bytes
  unsigned element_shift;        // log2 of the element size
  unsigned granule_shift;        // log2 of G
  uint64_t default_value;
  uint64_t overread_value;       // what the overread elements hold (below)
  ShadowTable* table;            // for the slow-path helpers
};
// Every chunk, the distinguished one too, is followed by this many readable
// bytes, so that emitted IR may read an access's elements before knowing
// whether the access stays inside the chunk (it then discards them).  Their
// elements hold the table's overread value.  One other than the default is
// a value no store may write (set_range checks), such as a label id that
// cannot exist: code that compares an access's elements with one value
// (its first element, the value a store writes) then needs no test for
// the chunk's end, since an access running past it meets one that differs.
inline constexpr size_t kChunkOverreadBytes = 512;

// Called once per run with the run's value widened to 64 bits.
using RunVisitor = void (*)(void* context, uint64_t start, uint64_t size,
                            uint64_t value);

// The shadow table with its element type erased: all the range logic is
// compiled once here; ShadowMap below gives it a type.
class ShadowTable {
 public:
  ShadowTable(unsigned element_bytes, unsigned granule_bytes,
              uint64_t default_value, uint64_t overread_value);
  ShadowTable(const ShadowTable&) = delete;
  ShadowTable& operator=(const ShadowTable&) = delete;
  ~ShadowTable();

  uint64_t get(uint64_t addr) const;
  void set(uint64_t addr, uint64_t value);
  void set_range(uint64_t start, uint64_t size, uint64_t value);
  void clear_range(uint64_t start, uint64_t size) {
    set_range(start, size, default_);
  }
  // memmove semantics: as if the whole source were read first.  With G > 1
  // granule k of the destination gets granule k of the source counted from
  // the granule of src - (dst mod G); when src and dst are congruent mod G
  // that is a plain granule-for-granule copy.  size <= 2^63.
  void copy_range(uint64_t src, uint64_t dst, uint64_t size);
  void for_each_run(uint64_t start, uint64_t size, RunVisitor visit,
                    void* context) const;
  void for_each_run_everywhere(RunVisitor visit, void* context) const;
  // The same with fn(uint64_t start, uint64_t size, uint64_t value).
  template <typename Fn>
  void visit_runs(uint64_t start, uint64_t size, Fn&& fn) const {
    for_each_run(start, size, &call_run_visitor<Fn>, run_visitor_context(fn));
  }
  template <typename Fn>
  void visit_runs_everywhere(Fn&& fn) const {
    for_each_run_everywhere(&call_run_visitor<Fn>, run_visitor_context(fn));
  }
  bool is_default(uint64_t start, uint64_t size) const;
  // Frees private chunks that went back to all-default through partial
  // writes (whole-chunk writes free them at once), and the pages of live
  // pieces that did (they stop being live).  Returns the chunks freed.
  // Costs a scan of every live piece.
  size_t compact();
  // The live pieces have grown by half since the last compact() (and hold
  // 16 MB or more): a tool that calls compact() when this says so, at a
  // point that is not hot (a system call), bounds the pieces that are live
  // only because they once held a value other than the default.
  bool compaction_due() const;

  MemoryUse memory() const;
  // Hands out write access for emitted IR, hence not const.
  TableView view();
  uint64_t default_value() const { return default_; }
  unsigned element_bytes() const { return 1u << element_shift_; }
  unsigned granule_bytes() const { return 1u << granule_shift_; }
  // For tests: the distinguished chunk still holds only the default.
  bool distinguished_intact() const;

  // ---- The hot path, inline for ShadowMap ---------------------------------
  const uint8_t* chunk_for_read(uint64_t addr) const {
    if (__builtin_expect(addr < kPrimaryLimit, 1))
      return primary_chunk(addr >> kChunkShift);
    return high_chunk(addr >> kChunkShift);
  }
  // Where to write the elements of [addr, addr + size) (inside one chunk)
  // to store `value` in all of them: the chunk is made private and their
  // pieces live.  Null when the store would change nothing (the default
  // into pieces that are not live).
  uint8_t* elements_for_write(uint64_t addr, uint64_t size, uint64_t value) {
    if (__builtin_expect(addr < kPrimaryLimit &&
                             ((addr ^ (addr + size - 1)) >> piece_shift_) == 0, 1)) {
      if (live_pieces_[addr >> piece_shift_] != 0)
        return primary_chunk(addr >> kChunkShift) + element_offset(addr);
      if (value == default_) return nullptr;
    }
    return elements_for_write_slow(addr, size, value);
  }
  size_t element_offset(uint64_t addr) const {
    return ((addr & (kChunkBytes - 1)) >> granule_shift_) << element_shift_;
  }

 private:
  template <typename Fn>
  static void* run_visitor_context(Fn& fn) {
    return const_cast<void*>(static_cast<const void*>(&fn));
  }
  template <typename Fn>
  static void call_run_visitor(void* fn, uint64_t start, uint64_t size, uint64_t value) {
    (*static_cast<std::remove_reference_t<Fn>*>(fn))(start, size, value);
  }

  struct UnitRange;
  class HighIndex;

  uint8_t* primary_chunk(uint64_t chunk_no) const {
    return reinterpret_cast<uint8_t*>(reinterpret_cast<uintptr_t>(distinguished_) +
                                      primary_[chunk_no]);
  }
  uint8_t* high_chunk(uint64_t chunk_no) const;
  uint8_t* elements_for_write_slow(uint64_t addr, uint64_t size, uint64_t value);
  uint8_t* chunk_at(uint64_t chunk_no) const;
  void install(uint64_t chunk_no, uint8_t* chunk);
  uint64_t next_private_low(uint64_t from, uint64_t to) const;
  uint64_t prev_private_low(uint64_t from, uint64_t to) const;
  uint8_t* make_private(uint64_t chunk_no);
  void reset_to_default(uint64_t chunk_no);
  uint8_t* new_chunk();
  void mark_overread(uint8_t* chunk) const;
  void recycle_chunk(uint8_t* chunk, uint64_t written);
  bool is_heavy(uint64_t pieces) const;
  bool release_default_pieces(uint64_t c);
  uint64_t take_dirty_pieces(uint8_t* chunk);
  size_t live_map_bytes() const;
  uint8_t* live_bytes_of(uint64_t c) const;
  size_t piece_shadow_bytes() const;
  bool chunks_on_pages() const;
  size_t allocated_bytes() const;
  size_t pieces_per_chunk() const;
  void piece_span(uint64_t c, size_t begin, size_t end, uint8_t** first,
                  uint8_t** last) const;

  // Pieces: units [begin, end) of chunk c.
  bool any_live(uint64_t c, size_t begin, size_t end) const;
  void make_live(uint64_t c, size_t begin, size_t end);
  template <typename Span>
  bool for_live_spans(uint64_t c, size_t begin, size_t end, Span&& span) const;
  void write_units(uint64_t c, size_t begin, size_t end, uint64_t value);
  bool units_default(uint64_t c, size_t begin, size_t end) const;

  uint64_t load_element(const uint8_t* chunk, size_t index) const;
  void store_element(uint8_t* chunk, size_t index, uint64_t value) const;
  void fill(uint8_t* chunk, size_t begin, size_t end, uint64_t value) const;
  size_t run_end(const uint8_t* chunk, size_t begin, size_t end,
                 uint64_t value) const;

  int units_of(uint64_t start, uint64_t size, UnitRange out[2]) const;
  uint64_t next_private(uint64_t from, uint64_t to, HighIndex& high) const;
  uint64_t prev_private(uint64_t from, uint64_t to, HighIndex& high) const;
  template <typename Piece>
  bool walk_private(const UnitRange& range, HighIndex& high,
                    Piece&& piece) const;
  template <typename Piece>
  void walk_all(const UnitRange& range, Piece&& piece);

  void assign_units(const UnitRange& range, uint64_t value);
  void copy_units(uint64_t src, uint64_t dst, uint64_t count);
  void copy_segment(uint64_t src, uint64_t dst, uint64_t count, bool backward,
                    HighIndex& high);
  void copy_piece(uint64_t src_unit, uint64_t dst_unit, uint64_t count);
  void visit_units(const UnitRange& range, RunVisitor visit, void* context,
                   HighIndex& high) const;

  unsigned element_shift_;
  unsigned granule_shift_;
  unsigned units_shift_;      // log2 of elements per chunk
  size_t units_per_chunk_;
  size_t chunk_bytes_;
  uint64_t unit_mask_;        // the highest granule number
  uint64_t default_;
  uint64_t default_pattern_;  // the default repeated over 64 bits
  uint64_t overread_;
  unsigned piece_shift_;      // log2 of a piece's application bytes
  unsigned piece_units_shift_;  // log2 of granules per piece
  uint64_t* primary_;  // chunk - distinguished_, by chunk number
  // One byte per piece below kPrimaryLimit: 1 when live.  Chunks above the
  // primary region have no pieces: all of a private one counts as live.
  uint8_t* live_pieces_;
  size_t live_piece_count_ = 0;
  size_t live_after_compact_ = 0;
  // Chunks freed, all default, with a mask of the pieces whose pages may
  // still be resident; chunks back in use keep that mask here.
  struct FreeChunk {
    uint8_t* chunk;
    uint64_t resident;
  };
  Vector<FreeChunk> free_chunks_;
  HashMap<uintptr_t, uint64_t> dirty_pieces_;
  size_t heavy_free_chunks_ = 0;  // by chunk address
  // One bit per primary entry, set when its chunk is private: walks over
  // mostly-default space skip 64 entries per word.
  uint64_t* private_bits_;
  uint8_t* distinguished_;
  HashMap<uint64_t, uint8_t*> high_;  // chunk number -> private chunk
  size_t private_chunks_ = 0;
};

// The typed map a tool holds: ShadowMap<uint32_t> for a label id per byte,
// ShadowMap<uint32_t, 16> for an object id per 16-byte granule.
template <typename T, unsigned Granule = 1>
class ShadowMap {
  static_assert(std::is_unsigned_v<T> &&
                    (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 ||
                     sizeof(T) == 8),
                "shadow elements are unsigned integers of 1, 2, 4 or 8 bytes");
  static_assert(Granule >= 1 && Granule <= kMaxGranuleBytes &&
                    (Granule & (Granule - 1)) == 0,
                "the granule is a power of two up to kMaxGranuleBytes");

 public:
  using Element = T;
  static constexpr unsigned kGranule = Granule;

  explicit ShadowMap(T default_value = T())
      : table_(sizeof(T), Granule, default_value, default_value) {}

  T get(uint64_t addr) const {
    const uint8_t* chunk = table_.chunk_for_read(addr);
    return *reinterpret_cast<const T*>(chunk + table_.element_offset(addr));
  }
  void set(uint64_t addr, T value) {
    uint8_t* element = table_.elements_for_write(addr, 1, value);
    if (element != nullptr) *reinterpret_cast<T*>(element) = value;
  }
  void set_range(uint64_t start, uint64_t size, T value) {
    table_.set_range(start, size, value);
  }
  void clear_range(uint64_t start, uint64_t size) {
    table_.clear_range(start, size);
  }
  void copy_range(uint64_t src, uint64_t dst, uint64_t size) {
    table_.copy_range(src, dst, size);
  }
  bool is_default(uint64_t start, uint64_t size) const {
    return table_.is_default(start, size);
  }
  T default_value() const { return static_cast<T>(table_.default_value()); }

  // fn(uint64_t start, uint64_t size, T value) for each maximal run of one
  // non-default value inside the range, in address order.
  template <typename Fn>
  void for_each_run(uint64_t start, uint64_t size, Fn&& fn) const {
    table_.visit_runs(start, size, [&fn](uint64_t run_start, uint64_t run_size, uint64_t value) {
      fn(run_start, run_size, static_cast<T>(value));
    });
  }
  template <typename Fn>
  void for_each_run(Fn&& fn) const {
    table_.visit_runs_everywhere([&fn](uint64_t run_start, uint64_t run_size, uint64_t value) {
      fn(run_start, run_size, static_cast<T>(value));
    });
  }

  size_t compact() { return table_.compact(); }
  MemoryUse memory() const { return table_.memory(); }
  TableView view() { return table_.view(); }
  ShadowTable& table() { return table_; }
  const ShadowTable& table() const { return table_; }

 private:
  ShadowTable table_;
};

}  // namespace unstuck::shadow
