// Per-site aggregates: one site per allocation stack, with DHAT's metrics
// counted by DHAT's conventions (dhat/dh_main.c) and the lifetime tool's
// own.
//
// DHAT's conventions, followed so that totals agree with DHAT's:
//   - a block of 0 bytes counts as 1 byte;
//   - realloc counts as one more block of the new size (total blocks and
//     bytes), while the live count stays and the live bytes change by the
//     difference; the resized block stays with its first allocation's site;
//   - its implicit copy counts min(old, new) bytes read and written;
//   - a block's lifetime runs from its first allocation to its final free
//     (or the end), counted once per chain, and the average lifetime is the
//     sum divided by total blocks;
//   - the global peak is the last time the live bytes reached their
//     maximum; each site's bytes and blocks then are its "at t-gmax".
#pragma once

#include <stdint.h>

#include "shared/rt/hash_map.h"
#include "shared/rt/vector.h"
#include "tools/lifetime/live_bytes_series.h"
#include "tools/lifetime/shadow_object.h"

namespace unstuck::lifetime {

// Flags of a site, as named in the output.
enum SiteFlag : uint32_t {
  kFlagShortLived = 1u << 0,
  kFlagLowUtilisation = 1u << 1,
  kFlagNeverRead = 1u << 2,
  kFlagWriteOnly = 1u << 3,
  kFlagLeaked = 1u << 4,
  kFlagShared = 1u << 5,
  kFlagUseAfterFree = 1u << 6,
  kFlagOutOfBounds = 1u << 7,
  kFlagReadBeforeWrite = 1u << 8,
  kFlagMismatchedFree = 1u << 9,
};
inline constexpr int kSiteFlagCount = 10;
const char* site_flag_name(int bit);

inline constexpr int kSiteFunctions = 16;

struct Site {
  ExeContext* stack;
  uint32_t index;

  // ---- DHAT's counts ----
  uint64_t total_blocks, total_bytes;
  uint64_t live_blocks, live_bytes;
  uint64_t max_live_blocks, max_live_bytes;  // this site's own peak (bytes)
  uint64_t gmax_blocks, gmax_bytes;          // at the global peak
  uint64_t gmax_epoch;                       // which peak those are from
  uint64_t total_lifetimes;
  uint64_t bytes_read, bytes_written;

  // ---- The lifetime tool's, over every block version that ended ----
  uint64_t versions_ended;
  uint64_t sizes_ended;        // their bytes
  uint64_t touched_ended;      // their highest offsets touched (+1)
  uint64_t never_read_blocks;  // versions never read
  uint64_t write_only_blocks;  // written, never read
  uint64_t short_lived_blocks; // versions that lived < --short-lived
  uint64_t low_utilisation_blocks;
  uint64_t shared_blocks;      // touched by two threads or more
  uint64_t threads;            // every thread (<= 64) that touched a block
  uint64_t uninitialised_reads;
  uint64_t misuse_counts[kMisuseKinds];
  // The functions that accessed its blocks: the counts of the blocks'
  // counters merged, the least used given up when all are taken.
  FunctionCount functions[kSiteFunctions];
  uint8_t function_count;
  bool approximate_functions;
  uint64_t largest_block;      // and how much of it was touched
  uint64_t largest_block_touched;
  // Per-offset access counts over all versions, while they all have one
  // size and each had a histogram (as DHAT's "acc").
  enum class HistogramState : uint8_t { kNone, kSameSize, kMixed };
  HistogramState histogram_state;
  uint64_t histogram_size;
  uint32_t* histogram;

  // Versions kept for the output (--objects), the rest counted.
  Vector<ShadowObject*>* objects;
  uint64_t objects_omitted;

  uint32_t flags() const;  // SiteFlag bits
  uint64_t utilisation_permille() const;
  uint64_t average_lifetime() const {
    return total_blocks == 0 ? 0 : total_lifetimes / total_blocks;
  }
};

// The global counts, DHAT's "Total", "At t-gmax" and "At t-end" lines.
struct HeapTotals {
  uint64_t blocks, bytes;
  uint64_t live_blocks, live_bytes;
  uint64_t gmax_blocks, gmax_bytes;
  uint64_t gmax_time;
  uint64_t bytes_read, bytes_written;
};

class SiteTable {
 public:
  SiteTable() = default;
  SiteTable(const SiteTable&) = delete;
  SiteTable& operator=(const SiteTable&) = delete;

  // The site of an allocation stack, made on first use.
  uint32_t site_of(ExeContext* stack);
  Site& site(uint32_t index) { return *sites_[index]; }
  size_t size() const { return sites_.size(); }
  const HeapTotals& totals() const { return totals_; }
  const LiveBytesSeries& live_bytes() const { return live_bytes_; }

  // DHAT's accounting.
  void allocated(uint32_t site, uint64_t bytes, uint64_t now);
  void freed(uint32_t site, uint64_t bytes, uint64_t lifetime, uint64_t now);
  void resized(uint32_t site, uint64_t old_bytes, uint64_t new_bytes,
               uint64_t now);
  // At exit, for a block still live: its lifetime so far.
  void live_at_exit(uint32_t site, uint64_t lifetime);
  // Settles every site's bytes at the global peak; call once at the end.
  void settle_peak();

  // A block version ended (freed, resized, or live at exit): its accesses
  // are folded into its site.  `keep` says whether the output lists it.
  void fold(const ShadowObject& object, uint64_t now);
  // Misuse seen on one of a site's blocks (folded at once, as it may come
  // after the block's end).
  void misused(uint32_t site, Misuse kind);
  // The output keeps a copy of `object` (which gives it what it owns), or
  // counts it (releasing what it owns).
  void keep_or_count(ShadowObject& object, bool wanted);

 private:
  void take_peak_snapshot(Site& site);
  void note_peaks(Site& site, uint64_t now);
  void fold_functions(Site& site, const ShadowObject& object);
  void fold_histogram(Site& site, const ShadowObject& object);

  Vector<Site*> sites_;
  HashMap<uint64_t, uint32_t> by_stack_;  // ExeContext address -> index
  HeapTotals totals_ = {};
  LiveBytesSeries live_bytes_;
  uint64_t peak_epoch_ = 0;  // counts the times a new global peak was set
};

}  // namespace unstuck::lifetime
