#include "shared/shadow/shadow_map.h"

#include "shared/rt/check.h"
#include "shared/rt/platform.h"
#include "shared/rt/vector.h"
#include "shared/shadow/heap_sort.h"

namespace unstuck::shadow {
namespace {

constexpr uint64_t kNoChunk = ~uint64_t{0};
// A walk over fewer high chunks than this probes the hash map chunk by
// chunk; a longer one sorts the map's keys once and searches them.
constexpr uint64_t kHighProbeLimit = 64;
// A fill writes this many elements one by one, then doubles them with
// memmove, so that any element pattern fills at memcpy speed.
constexpr size_t kFillSeedElements = 16;
constexpr uint64_t kPrivateBitsWords = kPrimaryEntries / 64;
constexpr size_t kPrimaryBytes = kPrimaryEntries * sizeof(uint64_t);
// Chunks at least this big sit on zero pages of their own, so that pieces
// never written never become resident; smaller ones come from the heap.
constexpr size_t kPageBytes = 4096;
// Freed chunks with more than a quarter of their pieces resident wait for
// reuse as they are up to this many bytes; more go back to the kernel.
// Pages given back cost a page fault each when written again: a program
// that reads a tainted file into a fresh 12 MB buffer 40 times takes 0.5 s
// more system time than when freed chunks stayed resident.  A budget of an
// eighth of the live pieces' bytes halved that, but raised tainted
// python3's peak by 6 MB: resident memory is the scarcer resource.
constexpr size_t kMaxHeavyFreeBytes = size_t{4} << 20;

uint64_t replicate(uint64_t value, unsigned element_bytes) {
  uint64_t pattern = value;
  for (unsigned bits = element_bytes * 8; bits < 64; bits *= 2)
    pattern |= pattern << bits;
  return pattern;
}

uint64_t load_word(const uint8_t* p) {
  uint64_t word;
  __builtin_memcpy(&word, p, sizeof word);
  return word;
}

bool is_power_of_two(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

unsigned log2_exact(uint64_t x) {
  unsigned shift = 0;
  while ((uint64_t{1} << shift) < x) ++shift;
  return shift;
}

uint64_t min_of(uint64_t a, uint64_t b) { return a < b ? a : b; }
uint64_t max_of(uint64_t a, uint64_t b) { return a > b ? a : b; }

}  // namespace

// An inclusive, non-wrapping range of granule numbers ("units").
struct ShadowTable::UnitRange {
  uint64_t first;
  uint64_t last;
};

// The private chunks above the primary table, in address order.  Short
// walks probe the hash map; long ones sort its keys once per operation.  A
// snapshot may still list chunks the operation has since freed (harmless:
// the walk finds them default) but never misses one that the operation has
// yet to reach, since operations only create chunks where they have been.
class ShadowTable::HighIndex {
 public:
  explicit HighIndex(const HashMap<uint64_t, uint8_t*>& chunks)
      : chunks_(chunks) {}

  // The smallest chunk number in [from, to] with a private chunk.
  uint64_t next(uint64_t from, uint64_t to) {
    if (to - from < kHighProbeLimit) {
      for (uint64_t c = from;; ++c) {
        if (chunks_.contains(c)) return c;
        if (c == to) return kNoChunk;
      }
    }
    const Vector<uint64_t>& keys = sorted();
    size_t i = first_not_below(keys, from);
    return i < keys.size() && keys[i] <= to ? keys[i] : kNoChunk;
  }

  // The largest chunk number in [to, from] with a private chunk.
  uint64_t previous(uint64_t from, uint64_t to) {
    if (from - to < kHighProbeLimit) {
      for (uint64_t c = from;; --c) {
        if (chunks_.contains(c)) return c;
        if (c == to) return kNoChunk;
      }
    }
    const Vector<uint64_t>& keys = sorted();
    size_t i = first_not_below(keys, from + 1);
    return i > 0 && keys[i - 1] >= to ? keys[i - 1] : kNoChunk;
  }

 private:
  const Vector<uint64_t>& sorted() {
    if (!sorted_) {
      chunks_.for_each(
          [&](uint64_t chunk_no, uint8_t* const&) { keys_.push_back(chunk_no); });
      heap_sort(keys_.data(), keys_.size(),
                [](uint64_t a, uint64_t b) { return a < b; });
      sorted_ = true;
    }
    return keys_;
  }

  static size_t first_not_below(const Vector<uint64_t>& keys, uint64_t key) {
    size_t low = 0, high = keys.size();
    while (low < high) {
      size_t middle = low + (high - low) / 2;
      if (keys[middle] < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  const HashMap<uint64_t, uint8_t*>& chunks_;
  Vector<uint64_t> keys_;
  bool sorted_ = false;
};

// ---- Construction --------------------------------------------------------

ShadowTable::ShadowTable(unsigned element_bytes, unsigned granule_bytes,
                         uint64_t default_value, uint64_t overread_value) {
  UNSTUCK_CHECK(element_bytes == 1 || element_bytes == 2 ||
                element_bytes == 4 || element_bytes == 8);
  UNSTUCK_CHECK(is_power_of_two(granule_bytes) &&
                granule_bytes <= kMaxGranuleBytes);
  element_shift_ = log2_exact(element_bytes);
  granule_shift_ = log2_exact(granule_bytes);
  units_shift_ = kChunkShift - granule_shift_;
  units_per_chunk_ = size_t{1} << units_shift_;
  chunk_bytes_ = units_per_chunk_ << element_shift_;
  unit_mask_ = ~uint64_t{0} >> granule_shift_;
  UNSTUCK_CHECK(element_shift_ == 3 || default_value >> (8 * element_bytes) == 0);
  default_ = default_value;
  default_pattern_ = replicate(default_, element_bytes);
  UNSTUCK_CHECK(element_shift_ == 3 || overread_value >> (8 * element_bytes) == 0);
  overread_ = overread_value;
  // Byte granules with elements narrower than 4 bytes get wider pieces, so
  // that a piece's shadow is still a whole page (compact() gives pages back
  // piece by piece).
  const unsigned narrow_bonus = element_shift_ < 2 ? 2 - element_shift_ : 0;
  const unsigned min_piece_shift = kMinPieceShift + narrow_bonus;
  piece_shift_ = granule_shift_ > min_piece_shift ? granule_shift_ : min_piece_shift;
  piece_units_shift_ = piece_shift_ - granule_shift_;

  distinguished_ = static_cast<uint8_t*>(platform::allocate(allocated_bytes()));
  fill(distinguished_, 0, units_per_chunk_, default_);
  mark_overread(distinguished_);
  primary_ = static_cast<uint64_t*>(platform::allocate_zero_pages(kPrimaryBytes));
  private_bits_ =
      static_cast<uint64_t*>(platform::allocate_zero_pages(kPrivateBitsWords * 8));
  live_pieces_ = static_cast<uint8_t*>(platform::allocate_zero_pages(live_map_bytes()));
}

ShadowTable::~ShadowTable() {
  auto release_chunk = [this](uint8_t* chunk) {
    if (chunks_on_pages()) platform::release_zero_pages(chunk, allocated_bytes());
    else platform::release(chunk);
  };
  for (uint64_t c = next_private_low(0, kPrimaryEntries - 1); c != kNoChunk;
       c = next_private_low(c + 1, kPrimaryEntries - 1))
    release_chunk(primary_chunk(c));
  high_.for_each([&](uint64_t, uint8_t*& chunk) { release_chunk(chunk); });
  for (const FreeChunk& free : free_chunks_) release_chunk(free.chunk);
  platform::release_zero_pages(live_pieces_, live_map_bytes());
  platform::release_zero_pages(private_bits_, kPrivateBitsWords * 8);
  platform::release_zero_pages(primary_, kPrimaryBytes);
  platform::release(distinguished_);
}

size_t ShadowTable::live_map_bytes() const { return kPrimaryLimit >> piece_shift_; }

// The live-map bytes of chunk c (below the primary limit), one per piece.
uint8_t* ShadowTable::live_bytes_of(uint64_t c) const {
  return live_pieces_ + (c << (kChunkShift - piece_shift_));
}

size_t ShadowTable::piece_shadow_bytes() const {
  return size_t{1} << (piece_units_shift_ + element_shift_);
}

// The pieces of `chunk` that an earlier owner wrote (see recycle_chunk),
// forgotten once taken.
uint64_t ShadowTable::take_dirty_pieces(uint8_t* chunk) {
  const uintptr_t key = reinterpret_cast<uintptr_t>(chunk);
  uint64_t* earlier = dirty_pieces_.find(key);
  if (earlier == nullptr) return 0;
  const uint64_t pieces = *earlier;
  dirty_pieces_.erase(key);
  return pieces;
}

bool ShadowTable::chunks_on_pages() const { return chunk_bytes_ >= kPageBytes; }

size_t ShadowTable::allocated_bytes() const { return chunk_bytes_ + kChunkOverreadBytes; }

// ---- Chunks --------------------------------------------------------------

uint8_t* ShadowTable::high_chunk(uint64_t chunk_no) const {
  uint8_t* const* chunk = high_.find(chunk_no);
  return chunk != nullptr ? *chunk : distinguished_;
}

uint8_t* ShadowTable::chunk_at(uint64_t chunk_no) const {
  return chunk_no < kPrimaryEntries ? primary_chunk(chunk_no) : high_chunk(chunk_no);
}

void ShadowTable::install(uint64_t chunk_no, uint8_t* chunk) {
  if (chunk_no < kPrimaryEntries) {
    primary_[chunk_no] = reinterpret_cast<uintptr_t>(chunk) -
                         reinterpret_cast<uintptr_t>(distinguished_);
    uint64_t bit = uint64_t{1} << (chunk_no % 64);
    if (chunk == distinguished_) private_bits_[chunk_no / 64] &= ~bit;
    else private_bits_[chunk_no / 64] |= bit;
  } else if (chunk == distinguished_) {
    high_.erase(chunk_no);
  } else {
    high_[chunk_no] = chunk;
  }
}

// The smallest private primary entry in [from, to], or kNoChunk.
uint64_t ShadowTable::next_private_low(uint64_t from, uint64_t to) const {
  if (from > to) return kNoChunk;
  uint64_t word = from / 64;
  uint64_t bits = private_bits_[word] & (~uint64_t{0} << (from % 64));
  for (;;) {
    if (bits != 0) {
      uint64_t found = word * 64 + __builtin_ctzll(bits);
      return found <= to ? found : kNoChunk;
    }
    if (++word > to / 64) return kNoChunk;
    bits = private_bits_[word];
  }
}

// The largest private primary entry in [to, from], or kNoChunk.
uint64_t ShadowTable::prev_private_low(uint64_t from, uint64_t to) const {
  if (from < to) return kNoChunk;
  uint64_t word = from / 64;
  uint64_t bits = private_bits_[word] & (~uint64_t{0} >> (63 - from % 64));
  for (;;) {
    if (bits != 0) {
      uint64_t found = word * 64 + 63 - __builtin_clzll(bits);
      return found >= to ? found : kNoChunk;
    }
    if (word-- == to / 64) return kNoChunk;
    bits = private_bits_[word];
  }
}

// A chunk holding only the default, none of its pieces live.
uint8_t* ShadowTable::new_chunk() {
  if (!free_chunks_.empty()) {
    FreeChunk reused = free_chunks_.back();
    free_chunks_.pop_back();
    heavy_free_chunks_ -= is_heavy(reused.resident);
    if (reused.resident != 0) dirty_pieces_[reinterpret_cast<uintptr_t>(reused.chunk)] = reused.resident;
    return reused.chunk;
  }
  uint8_t* chunk = static_cast<uint8_t*>(chunks_on_pages()
                                             ? platform::allocate_zero_pages(allocated_bytes())
                                             : platform::allocate(allocated_bytes()));
  if (!chunks_on_pages() || default_pattern_ != 0) fill(chunk, 0, units_per_chunk_, default_);
  mark_overread(chunk);
  return chunk;
}

// The overread bytes after a chunk just allocated (nothing writes them
// later: stores stay inside their chunk, and freeing a chunk's pages
// leaves them).  Zero pages already hold zeros.
void ShadowTable::mark_overread(uint8_t* chunk) const {
  if (overread_ == 0 && chunks_on_pages() && chunk != distinguished_) return;
  const size_t elements = kChunkOverreadBytes >> element_shift_;
  fill(chunk, units_per_chunk_, units_per_chunk_ + elements, overread_);
}

// More than a quarter of the chunk's pieces.
bool ShadowTable::is_heavy(uint64_t pieces) const {
  return 4 * static_cast<size_t>(__builtin_popcountll(pieces)) > pieces_per_chunk();
}

// Takes back a chunk no longer installed, whose pieces in `written` (a
// mask) may hold other values, and keeps it all default for the next
// new_chunk.  Its written pieces are reset by hand and stay resident, as do
// those of earlier owners, unless that makes too many heavy chunks waiting
// in the free list: then its pages go back to the kernel.  (A system call
// for every chunk freed would cost too much where chunks come and go by
// the thousand, and resetting by hand always would let every reused chunk
// grow resident all over.)
void ShadowTable::recycle_chunk(uint8_t* chunk, uint64_t written) {
  if (!chunks_on_pages()) {
    platform::release(chunk);
    return;
  }
  uint64_t resident = written | take_dirty_pieces(chunk);
  if (is_heavy(resident) && (heavy_free_chunks_ + 1) * chunk_bytes_ > kMaxHeavyFreeBytes) {
    platform::discard_pages(chunk, chunk_bytes_);
    if (default_pattern_ != 0) fill(chunk, 0, units_per_chunk_, default_);
    resident = 0;
  } else {
    const size_t piece_units = size_t{1} << piece_units_shift_;
    for (size_t p = 0; p < pieces_per_chunk(); ++p)
      if (written >> p & 1) fill(chunk, p * piece_units, (p + 1) * piece_units, default_);
  }
  heavy_free_chunks_ += is_heavy(resident);
  free_chunks_.push_back(FreeChunk{chunk, resident});
}

// Copy on write: the chunk for `chunk_no`, made private (all default) first
// if it is the distinguished one.
uint8_t* ShadowTable::make_private(uint64_t chunk_no) {
  uint8_t* chunk = chunk_at(chunk_no);
  if (chunk != distinguished_) return chunk;
  chunk = new_chunk();
  install(chunk_no, chunk);
  ++private_chunks_;
  return chunk;
}

void ShadowTable::reset_to_default(uint64_t chunk_no) {
  uint8_t* chunk = chunk_at(chunk_no);
  if (chunk == distinguished_) return;
  install(chunk_no, distinguished_);
  uint64_t written = ~uint64_t{0};  // above the primary limit: all of it
  if (chunk_no < kPrimaryEntries) {
    uint8_t* live = live_bytes_of(chunk_no);
    written = 0;
    for (size_t i = 0; i < pieces_per_chunk(); ++i) {
      written |= uint64_t{live[i]} << i;
      live_piece_count_ -= live[i];
      live[i] = 0;
    }
  }
  recycle_chunk(chunk, written);
  --private_chunks_;
}

uint8_t* ShadowTable::elements_for_write_slow(uint64_t addr, uint64_t size,
                                              uint64_t value) {
  UNSTUCK_CHECK(size >= 1 && ((addr ^ (addr + size - 1)) >> kChunkShift) == 0);
  const uint64_t chunk_no = addr >> kChunkShift;
  const size_t begin = (addr & (kChunkBytes - 1)) >> granule_shift_;
  const size_t end = (((addr + size - 1) & (kChunkBytes - 1)) >> granule_shift_) + 1;
  if (value == default_ && !any_live(chunk_no, begin, end)) return nullptr;
  uint8_t* chunk = make_private(chunk_no);
  make_live(chunk_no, begin, end);
  return chunk + (begin << element_shift_);
}

// ---- Pieces --------------------------------------------------------------

size_t ShadowTable::pieces_per_chunk() const {
  return size_t{1} << (kChunkShift - piece_shift_);
}

// The live-map bytes of units [begin, end) of a chunk below the primary
// limit: [*first, *last].
void ShadowTable::piece_span(uint64_t c, size_t begin, size_t end, uint8_t** first,
                             uint8_t** last) const {
  uint8_t* base = live_bytes_of(c);
  *first = base + (begin >> piece_units_shift_);
  *last = base + ((end - 1) >> piece_units_shift_);
}

// Some piece of units [begin, end) of chunk c may hold a non-default value.
bool ShadowTable::any_live(uint64_t c, size_t begin, size_t end) const {
  if (c >= kPrimaryEntries) return chunk_at(c) != distinguished_;
  uint8_t *first, *last;
  piece_span(c, begin, end, &first, &last);
  for (uint8_t* p = first; p <= last; ++p)
    if (*p != 0) return true;
  return false;
}

void ShadowTable::make_live(uint64_t c, size_t begin, size_t end) {
  if (c >= kPrimaryEntries) return;
  uint8_t *first, *last;
  piece_span(c, begin, end, &first, &last);
  for (uint8_t* p = first; p <= last; ++p) {
    live_piece_count_ += 1 - *p;
    *p = 1;
  }
}

// Calls span(b, e) for each maximal part [b, e) of units [begin, end) of
// chunk c that lies in live pieces, in order, until span returns false.
// A private chunk above the primary limit is live all over.
template <typename Span>
bool ShadowTable::for_live_spans(uint64_t c, size_t begin, size_t end, Span&& span) const {
  if (c >= kPrimaryEntries) return chunk_at(c) == distinguished_ || span(begin, end);
  const uint8_t* live = live_bytes_of(c);
  const size_t piece_units = size_t{1} << piece_units_shift_;
  size_t at = begin;
  while (at < end) {
    while (at < end && live[at >> piece_units_shift_] == 0)
      at = ((at >> piece_units_shift_) + 1) * piece_units;
    if (at >= end) break;
    size_t stop = at;
    while (stop < end && live[stop >> piece_units_shift_] != 0)
      stop = ((stop >> piece_units_shift_) + 1) * piece_units;
    if (stop > end) stop = end;
    if (!span(at, stop)) return false;
    at = stop;
  }
  return true;
}

// Sets units [begin, end) of chunk c to `value`.  The default is written
// only into live pieces: the others hold it already.
void ShadowTable::write_units(uint64_t c, size_t begin, size_t end, uint64_t value) {
  if (value == default_) {
    uint8_t* chunk = chunk_at(c);
    for_live_spans(c, begin, end, [&](size_t b, size_t e) {
      fill(chunk, b, e, default_);
      return true;
    });
    return;
  }
  uint8_t* chunk = make_private(c);
  make_live(c, begin, end);
  fill(chunk, begin, end, value);
}

// Units [begin, end) of chunk c all hold the default.
bool ShadowTable::units_default(uint64_t c, size_t begin, size_t end) const {
  const uint8_t* chunk = chunk_at(c);
  return for_live_spans(c, begin, end, [&](size_t b, size_t e) {
    return run_end(chunk, b, e, default_) == e;
  });
}

// ---- Elements ------------------------------------------------------------

uint64_t ShadowTable::load_element(const uint8_t* chunk, size_t index) const {
  const uint8_t* p = chunk + (index << element_shift_);
  switch (element_shift_) {
    case 0: return *p;
    case 1: return *reinterpret_cast<const uint16_t*>(p);
    case 2: return *reinterpret_cast<const uint32_t*>(p);
    default: return *reinterpret_cast<const uint64_t*>(p);
  }
}

void ShadowTable::store_element(uint8_t* chunk, size_t index,
                                uint64_t value) const {
  uint8_t* p = chunk + (index << element_shift_);
  switch (element_shift_) {
    case 0: *p = static_cast<uint8_t>(value); break;
    case 1: *reinterpret_cast<uint16_t*>(p) = static_cast<uint16_t>(value); break;
    case 2: *reinterpret_cast<uint32_t*>(p) = static_cast<uint32_t>(value); break;
    default: *reinterpret_cast<uint64_t*>(p) = value; break;
  }
}

// Sets elements [begin, end) of `chunk` to `value`.
void ShadowTable::fill(uint8_t* chunk, size_t begin, size_t end,
                       uint64_t value) const {
  uint8_t* p = chunk + (begin << element_shift_);
  size_t count = end - begin;
  size_t bytes = count << element_shift_;
  uint64_t pattern = replicate(value, element_bytes());
  if (pattern == replicate(pattern & 0xff, 1)) {
    platform::fill_bytes(p, static_cast<uint8_t>(pattern), bytes);
    return;
  }
  size_t seeded = min_of(count, kFillSeedElements);
  for (size_t i = 0; i < seeded; ++i) store_element(chunk, begin + i, value);
  for (size_t done = seeded << element_shift_; done < bytes;) {
    size_t n = min_of(done, bytes - done);
    platform::copy_bytes(p + done, p, n);
    done += n;
  }
}

// The first element in [begin, end) that differs from `value`, or `end`.
// Compares a word at a time: a word of equal elements is the pattern.
size_t ShadowTable::run_end(const uint8_t* chunk, size_t begin, size_t end,
                            uint64_t value) const {
  uint64_t pattern = replicate(value, element_bytes());
  size_t pos = begin << element_shift_;
  size_t limit = end << element_shift_;
  while (pos + 32 <= limit && load_word(chunk + pos) == pattern &&
         load_word(chunk + pos + 8) == pattern &&
         load_word(chunk + pos + 16) == pattern &&
         load_word(chunk + pos + 24) == pattern)
    pos += 32;
  while (pos + 8 <= limit && load_word(chunk + pos) == pattern) pos += 8;
  size_t i = pos >> element_shift_;
  while (i < end && load_element(chunk, i) == value) ++i;
  return i;
}

// ---- Ranges and walks ----------------------------------------------------

// The granules that [start, start + size) touches: one unit range, or two
// when the range runs past the top of the address space.
int ShadowTable::units_of(uint64_t start, uint64_t size,
                          UnitRange out[2]) const {
  if (size == 0) return 0;
  uint64_t last_byte = start + (size - 1);
  uint64_t first = start >> granule_shift_;
  uint64_t last = last_byte >> granule_shift_;
  if (last_byte >= start) {
    out[0] = {first, last};
    return 1;
  }
  if (last + 1 >= first) {  // the two pieces meet: every granule
    out[0] = {0, unit_mask_};
    return 1;
  }
  out[0] = {first, unit_mask_};
  out[1] = {0, last};
  return 2;
}

// The smallest private chunk number in [from, to], or kNoChunk.
uint64_t ShadowTable::next_private(uint64_t from, uint64_t to,
                                   HighIndex& high) const {
  if (from > to) return kNoChunk;
  if (from < kPrimaryEntries) {
    uint64_t found = next_private_low(from, min_of(to, kPrimaryEntries - 1));
    if (found != kNoChunk || to < kPrimaryEntries) return found;
    from = kPrimaryEntries;
  }
  return high.next(from, to);
}

// The largest private chunk number in [to, from], or kNoChunk.
uint64_t ShadowTable::prev_private(uint64_t from, uint64_t to,
                                   HighIndex& high) const {
  if (from < to) return kNoChunk;
  if (from >= kPrimaryEntries) {
    uint64_t found = high.previous(from, max_of(to, kPrimaryEntries));
    if (found != kNoChunk || to >= kPrimaryEntries) return found;
    from = kPrimaryEntries - 1;
  }
  return prev_private_low(from, to);
}

// Calls piece(chunk_no, begin, end) for the part [begin, end) of each
// private chunk in `range`, in address order, until piece returns false.
template <typename Piece>
bool ShadowTable::walk_private(const UnitRange& range, HighIndex& high,
                               Piece&& piece) const {
  const uint64_t first_chunk = range.first >> units_shift_;
  const uint64_t last_chunk = range.last >> units_shift_;
  const uint64_t in_chunk = units_per_chunk_ - 1;
  for (uint64_t c = first_chunk;; ++c) {
    c = next_private(c, last_chunk, high);
    if (c == kNoChunk) return true;
    size_t begin = c == first_chunk ? range.first & in_chunk : 0;
    size_t end = c == last_chunk ? (range.last & in_chunk) + 1 : units_per_chunk_;
    if (!piece(c, begin, end)) return false;
    if (c == last_chunk) return true;
  }
}

// The same over every chunk, default or not.
template <typename Piece>
void ShadowTable::walk_all(const UnitRange& range, Piece&& piece) {
  const uint64_t first_chunk = range.first >> units_shift_;
  const uint64_t last_chunk = range.last >> units_shift_;
  const uint64_t in_chunk = units_per_chunk_ - 1;
  for (uint64_t c = first_chunk;; ++c) {
    size_t begin = c == first_chunk ? range.first & in_chunk : 0;
    size_t end = c == last_chunk ? (range.last & in_chunk) + 1 : units_per_chunk_;
    piece(c, begin, end);
    if (c == last_chunk) return;
  }
}

// ---- Reading and writing -------------------------------------------------

uint64_t ShadowTable::get(uint64_t addr) const {
  return load_element(chunk_for_read(addr),
                      (addr & (kChunkBytes - 1)) >> granule_shift_);
}

void ShadowTable::set(uint64_t addr, uint64_t value) {
  UNSTUCK_CHECK(element_shift_ == 3 || value >> (8 << element_shift_) == 0);
  UNSTUCK_CHECK_MSG(value != overread_ || overread_ == default_,
                    "a store of the value that marks chunk ends");
  uint8_t* element = elements_for_write(addr, 1, value);
  if (element != nullptr) store_element(element, 0, value);
}

void ShadowTable::set_range(uint64_t start, uint64_t size, uint64_t value) {
  UNSTUCK_CHECK(element_shift_ == 3 || value >> (8 << element_shift_) == 0);
  UNSTUCK_CHECK_MSG(value != overread_ || overread_ == default_,
                    "a store of the value that marks chunk ends");
  // A few elements inside one live piece: what generated code calls for
  // at every store that changes the shadow (shadow_ir.h).
  if (size != 0 && size <= (uint64_t{1} << piece_shift_) && start < kPrimaryLimit &&
      ((start ^ (start + size - 1)) >> piece_shift_) == 0 &&
      live_pieces_[start >> piece_shift_] != 0) {
    const size_t begin = (start & (kChunkBytes - 1)) >> granule_shift_;
    const size_t end = (((start + size - 1) & (kChunkBytes - 1)) >> granule_shift_) + 1;
    uint8_t* chunk = primary_chunk(start >> kChunkShift);
    for (size_t i = begin; i < end; ++i) store_element(chunk, i, value);
    return;
  }
  UnitRange ranges[2];
  int n = units_of(start, size, ranges);
  for (int i = 0; i < n; ++i) assign_units(ranges[i], value);
}

// Whole chunks are handled as chunks: made default by pointing back at the
// distinguished chunk, made non-default without copying the default in.
void ShadowTable::assign_units(const UnitRange& range, uint64_t value) {
  if (value == default_) {
    HighIndex high(high_);
    walk_private(range, high, [&](uint64_t c, size_t begin, size_t end) {
      if (begin == 0 && end == units_per_chunk_) reset_to_default(c);
      else write_units(c, begin, end, default_);
      return true;
    });
    return;
  }
  walk_all(range, [&](uint64_t c, size_t begin, size_t end) {
    write_units(c, begin, end, value);
  });
}

// ---- Copying -------------------------------------------------------------

void ShadowTable::copy_range(uint64_t src, uint64_t dst, uint64_t size) {
  if (size == 0) return;
  UNSTUCK_CHECK(size <= uint64_t{1} << 63);
  uint64_t slack = dst & (granule_bytes() - 1);
  uint64_t dst_first = dst >> granule_shift_;
  uint64_t dst_last = (dst + (size - 1)) >> granule_shift_;
  uint64_t count = ((dst_last - dst_first) & unit_mask_) + 1;
  copy_units((src - slack) >> granule_shift_, dst_first, count);
}

// Copies `count` units from `src` to `dst` (both may wrap), in the order
// that reads every source unit before it can be overwritten.
void ShadowTable::copy_units(uint64_t src, uint64_t dst, uint64_t count) {
  uint64_t delta = (dst - src) & unit_mask_;
  if (delta == 0) return;
  bool backward = delta < count;

  // Cut where the source or the destination wraps past the top, so that
  // each segment walks both in ascending unit numbers.
  uint64_t cuts[4] = {0, 0, 0, count};
  int n = 1;
  const uint64_t bases[2] = {src, dst};
  for (uint64_t base : bases) {
    uint64_t to_top = base == 0 ? count : unit_mask_ - base + 1;
    if (to_top < count) cuts[n++] = to_top;
  }
  if (n == 3 && cuts[1] > cuts[2]) {
    uint64_t t = cuts[1];
    cuts[1] = cuts[2];
    cuts[2] = t;
  }
  cuts[n] = count;

  HighIndex high(high_);
  for (int i = 0; i < n; ++i) {
    int s = backward ? n - 1 - i : i;
    uint64_t offset = cuts[s], length = cuts[s + 1] - cuts[s];
    if (length == 0) continue;
    copy_segment((src + offset) & unit_mask_, (dst + offset) & unit_mask_,
                 length, backward, high);
  }
}

// Neither [src, src + count) nor [dst, dst + count) wraps here.  Stretches
// where both sides are distinguished chunks are skipped in one step.
void ShadowTable::copy_segment(uint64_t src, uint64_t dst, uint64_t count,
                               bool backward, HighIndex& high) {
  const uint64_t in_chunk = units_per_chunk_ - 1;
  const uint64_t src_first = src >> units_shift_;
  const uint64_t dst_first = dst >> units_shift_;
  const uint64_t src_last = (src + count - 1) >> units_shift_;
  const uint64_t dst_last = (dst + count - 1) >> units_shift_;
  auto both_default = [&](uint64_t su, uint64_t du) {
    return chunk_at(su >> units_shift_) == distinguished_ &&
           chunk_at(du >> units_shift_) == distinguished_;
  };
  // Offset of the first unit of the next private chunk after `c`.
  auto next_offset = [&](uint64_t base, uint64_t c, uint64_t last) {
    uint64_t found = next_private(c + 1, last, high);
    return found == kNoChunk ? count : (found << units_shift_) - base;
  };
  // Offset just past the last unit of the previous private chunk before `c`.
  auto previous_end = [&](uint64_t base, uint64_t c, uint64_t first) {
    uint64_t found = c == 0 ? kNoChunk : prev_private(c - 1, first, high);
    return found == kNoChunk ? 0 : ((found + 1) << units_shift_) - base;
  };

  if (!backward) {
    for (uint64_t k = 0; k < count;) {
      uint64_t su = src + k, du = dst + k;
      if (both_default(su, du)) {
        k = min_of(next_offset(src, su >> units_shift_, src_last),
                   next_offset(dst, du >> units_shift_, dst_last));
        continue;
      }
      uint64_t length = min_of(min_of(units_per_chunk_ - (su & in_chunk),
                                      units_per_chunk_ - (du & in_chunk)),
                               count - k);
      copy_piece(su, du, length);
      k += length;
    }
    return;
  }
  for (uint64_t k = count; k > 0;) {
    uint64_t su = src + k - 1, du = dst + k - 1;
    if (both_default(su, du)) {
      k = max_of(previous_end(src, su >> units_shift_, src_first),
                 previous_end(dst, du >> units_shift_, dst_first));
      continue;
    }
    uint64_t length =
        min_of(min_of((su & in_chunk) + 1, (du & in_chunk) + 1), k);
    copy_piece(su - length + 1, du - length + 1, length);
    k -= length;
  }
}

// Copies `count` units that lie within one source and one destination
// chunk.  Only the source's live pieces are copied (the rest is default), so
// that copying a chunk with a few labels does not make all of the
// destination resident.
void ShadowTable::copy_piece(uint64_t src_unit, uint64_t dst_unit,
                             uint64_t count) {
  const uint64_t in_chunk = units_per_chunk_ - 1;
  const uint64_t src_chunk = src_unit >> units_shift_;
  const uint64_t dst_chunk = dst_unit >> units_shift_;
  const size_t src_begin = src_unit & in_chunk;
  const size_t dst_begin = dst_unit & in_chunk;
  const size_t src_end = src_begin + count;
  const size_t shift = dst_begin - src_begin;  // modulo 2^64, added back
  if (units_default(src_chunk, src_begin, src_end)) {
    if (count == units_per_chunk_) reset_to_default(dst_chunk);
    else write_units(dst_chunk, dst_begin, dst_begin + count, default_);
    return;
  }
  const uint8_t* from = chunk_at(src_chunk);
  auto copy = [&](size_t b, size_t e) {
    uint8_t* to = make_private(dst_chunk);
    make_live(dst_chunk, b + shift, e + shift);
    platform::copy_bytes(to + ((b + shift) << element_shift_), from + (b << element_shift_),
                         (e - b) << element_shift_);
  };
  if (src_chunk == dst_chunk) {  // the ranges may overlap: one memmove
    copy(src_begin, src_end);
    return;
  }
  size_t done = src_begin;
  for_live_spans(src_chunk, src_begin, src_end, [&](size_t b, size_t e) {
    if (b > done) write_units(dst_chunk, done + shift, b + shift, default_);
    copy(b, e);
    done = e;
    return true;
  });
  if (src_end > done) write_units(dst_chunk, done + shift, src_end + shift, default_);
}

// ---- Iteration -----------------------------------------------------------

// Reports maximal runs within `range`: a run continues into the next chunk
// when that chunk is private and starts with the same value.
void ShadowTable::visit_units(const UnitRange& range, RunVisitor visit,
                              void* context, HighIndex& high) const {
  struct Run {
    bool open;
    uint64_t first, last, value;
  } run = {false, 0, 0, 0};
  auto flush = [&] {
    if (run.open)
      visit(context, run.first << granule_shift_,
            (run.last - run.first + 1) << granule_shift_, run.value);
    run.open = false;
  };
  // Units [begin, end) of `chunk`, whose first unit is `base`.
  auto visit_span = [&](const uint8_t* chunk, uint64_t base, size_t begin, size_t end) {
    for (size_t i = begin; i < end;) {
      size_t found = run_end(chunk, i, end, default_);
      if (found > i) flush();
      if (found == end) return;
      uint64_t value = load_element(chunk, found);
      size_t stop = run_end(chunk, found, end, value);
      uint64_t first = base + found, last = base + stop - 1;
      if (run.open && run.value == value && run.last + 1 == first) {
        run.last = last;
      } else {
        flush();
        run = {true, first, last, value};
      }
      i = stop;
    }
  };
  walk_private(range, high, [&](uint64_t c, size_t begin, size_t end) {
    const uint8_t* chunk = chunk_at(c);
    return for_live_spans(c, begin, end, [&](size_t span_begin, size_t span_end) {
      visit_span(chunk, c << units_shift_, span_begin, span_end);
      return true;
    });
  });
  flush();
}

void ShadowTable::for_each_run(uint64_t start, uint64_t size, RunVisitor visit,
                               void* context) const {
  UnitRange ranges[2];
  int n = units_of(start, size, ranges);
  HighIndex high(high_);
  for (int i = 0; i < n; ++i) visit_units(ranges[i], visit, context, high);
}

void ShadowTable::for_each_run_everywhere(RunVisitor visit,
                                          void* context) const {
  HighIndex high(high_);
  visit_units({0, unit_mask_}, visit, context, high);
}

bool ShadowTable::is_default(uint64_t start, uint64_t size) const {
  UnitRange ranges[2];
  int n = units_of(start, size, ranges);
  HighIndex high(high_);
  for (int i = 0; i < n; ++i) {
    bool all_default =
        walk_private(ranges[i], high, [&](uint64_t c, size_t begin, size_t end) {
          return units_default(c, begin, end);
        });
    if (!all_default) return false;
  }
  return true;
}

size_t ShadowTable::compact() {
  size_t freed = 0;
  HighIndex high(high_);
  walk_private({0, unit_mask_}, high, [&](uint64_t c, size_t, size_t) {
    const bool all_default = c < kPrimaryEntries ? !release_default_pieces(c)
                                                 : units_default(c, 0, units_per_chunk_);
    if (all_default) {
      reset_to_default(c);
      ++freed;
    }
    return true;
  });
  live_after_compact_ = live_piece_count_;
  return freed;
}

// Live pieces of chunk c below the primary limit that went back to the
// default stop being live, and the pages that now hold no live piece but
// may be resident (those pieces, and pieces an earlier owner of the chunk
// wrote) go back to the kernel.  Returns whether a piece is still live.
bool ShadowTable::release_default_pieces(uint64_t c) {
  uint8_t* chunk = chunk_at(c);
  uint8_t* live = live_bytes_of(c);
  const size_t pieces = pieces_per_chunk();
  const size_t piece_units = size_t{1} << piece_units_shift_;
  uint64_t still_live = 0, resident = 0;
  for (size_t p = 0; p < pieces; ++p) {
    if (live[p] == 0) continue;
    if (run_end(chunk, p * piece_units, (p + 1) * piece_units, default_) ==
        (p + 1) * piece_units) {
      live[p] = 0;
      --live_piece_count_;
      resident |= uint64_t{1} << p;
    } else {
      still_live |= uint64_t{1} << p;
    }
  }
  resident |= take_dirty_pieces(chunk);
  if (still_live == 0) {  // compact() frees the chunk: recycle_chunk sees to its pages
    if (resident != 0) dirty_pieces_[reinterpret_cast<uintptr_t>(chunk)] = resident;
    return false;
  }
  if (!chunks_on_pages() || default_pattern_ != 0) return true;
  // Pages with a resident piece and no live one, a system call per run.
  const size_t piece_bytes = piece_shadow_bytes();
  const size_t per_page = piece_bytes >= kPageBytes ? 1 : kPageBytes / piece_bytes;
  const uint64_t page_bits = per_page == 64 ? ~uint64_t{0} : (uint64_t{1} << per_page) - 1;
  auto releasable = [&](size_t page) {
    uint64_t bits = page_bits << (page * per_page);
    return (still_live & bits) == 0 && (resident & bits) != 0;
  };
  const size_t pages = pieces / per_page;
  for (size_t page = 0; page < pages;) {
    if (!releasable(page)) {
      ++page;
      continue;
    }
    size_t end = page + 1;
    while (end < pages && releasable(end)) ++end;
    platform::discard_pages(chunk + page * per_page * piece_bytes,
                            (end - page) * per_page * piece_bytes);
    page = end;
  }
  return true;
}

bool ShadowTable::compaction_due() const {
  constexpr size_t kMinLiveBytes = size_t{16} << 20;
  return live_piece_count_ * piece_shadow_bytes() >= kMinLiveBytes && 2 * live_piece_count_ >= 3 * live_after_compact_;
}

// ---- Accounting ----------------------------------------------------------

MemoryUse ShadowTable::memory() const {
  MemoryUse use;
  use.private_chunks = private_chunks_;
  use.private_bytes = private_chunks_ * chunk_bytes_;
  use.live_bytes = live_piece_count_ * piece_shadow_bytes();
  high_.for_each([&](uint64_t, uint8_t* const&) { use.live_bytes += chunk_bytes_; });
  use.fixed_bytes = kPrimaryBytes + kPrivateBitsWords * sizeof(uint64_t) +
                    live_map_bytes() + allocated_bytes();
  return use;
}

TableView ShadowTable::view() {
  return TableView{primary_,       distinguished_,  live_pieces_, piece_shift_, element_shift_,
                   granule_shift_, default_,       overread_,    this};
}

bool ShadowTable::distinguished_intact() const {
  return run_end(distinguished_, 0, units_per_chunk_, default_) ==
         units_per_chunk_;
}

}  // namespace unstuck::shadow
