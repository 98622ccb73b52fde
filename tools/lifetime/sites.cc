#include "tools/lifetime/sites.h"

#include "shared/rt/check.h"
#include "tools/lifetime/options.h"

namespace unstuck::lifetime {
namespace {

uint32_t saturated_sum(uint32_t a, uint32_t b) {
  return a > 0xFFFFFFFFu - b ? 0xFFFFFFFFu : a + b;
}

}  // namespace

const char* site_flag_name(int bit) {
  static const char* const kNames[kSiteFlagCount] = {
      "short_lived", "low_utilisation", "never_read",   "write_only",
      "leaked",      "shared",          "use_after_free", "out_of_bounds",
      "read_before_write", "mismatched_free"};
  return bit >= 0 && bit < kSiteFlagCount ? kNames[bit] : "?";
}

uint32_t Site::flags() const {
  uint32_t f = 0;
  if (total_blocks != 0 && average_lifetime() < g_options.short_lived)
    f |= kFlagShortLived;
  if (sizes_ended != 0 && utilisation_permille() < g_options.low_utilisation * 10)
    f |= kFlagLowUtilisation;
  if (versions_ended != 0 && bytes_read == 0) f |= kFlagNeverRead;
  if (versions_ended != 0 && bytes_read == 0 && bytes_written != 0)
    f |= kFlagWriteOnly;
  if (live_blocks != 0) f |= kFlagLeaked;
  if (shared_blocks != 0) f |= kFlagShared;
  const SiteFlag kMisuseFlags[kMisuseKinds] = {
      kFlagUseAfterFree, kFlagOutOfBounds, kFlagReadBeforeWrite,
      kFlagMismatchedFree};
  for (int k = 0; k < kMisuseKinds; ++k)
    if (misuse_counts[k] != 0) f |= kMisuseFlags[k];
  return f;
}

// Bytes touched over bytes allocated, of the block versions that ended.
uint64_t Site::utilisation_permille() const {
  if (sizes_ended == 0) return 0;
  return (touched_ended * 1000) / sizes_ended;
}

uint32_t SiteTable::site_of(ExeContext* stack) {
  uint64_t key = reinterpret_cast<uint64_t>(stack);
  if (const uint32_t* known = by_stack_.find(key)) return *known;
  Site* site = new Site();
  site->stack = stack;
  site->index = static_cast<uint32_t>(sites_.size());
  site->gmax_epoch = peak_epoch_;  // it had nothing at the earlier peaks
  sites_.push_back(site);
  by_stack_.insert(key, site->index);
  return site->index;
}

// Lazily, instead of DHAT's walk over every site at each peak: a site whose
// counts have not changed since the last peak still has its counts from
// then, so they are copied when they are about to change (or at the end).
void SiteTable::take_peak_snapshot(Site& site) {
  if (site.gmax_epoch == peak_epoch_) return;
  site.gmax_blocks = site.live_blocks;
  site.gmax_bytes = site.live_bytes;
  site.gmax_epoch = peak_epoch_;
}

// After live bytes grew: the site's and the program's peaks.  ">=": of
// equal peaks the last one counts, as in DHAT.
void SiteTable::note_peaks(Site& site, uint64_t now) {
  live_bytes_.note(now, totals_.live_bytes);
  if (site.live_bytes >= site.max_live_bytes) {
    site.max_live_bytes = site.live_bytes;
    site.max_live_blocks = site.live_blocks;
  }
  if (totals_.live_bytes >= totals_.gmax_bytes) {
    totals_.gmax_bytes = totals_.live_bytes;
    totals_.gmax_blocks = totals_.live_blocks;
    totals_.gmax_time = now;
    ++peak_epoch_;
  }
}

void SiteTable::allocated(uint32_t index, uint64_t bytes, uint64_t now) {
  Site& site = *sites_[index];
  take_peak_snapshot(site);
  ++totals_.blocks;
  totals_.bytes += bytes;
  ++totals_.live_blocks;
  totals_.live_bytes += bytes;
  ++site.total_blocks;
  site.total_bytes += bytes;
  ++site.live_blocks;
  site.live_bytes += bytes;
  note_peaks(site, now);
}

void SiteTable::freed(uint32_t index, uint64_t bytes, uint64_t lifetime, uint64_t now) {
  Site& site = *sites_[index];
  take_peak_snapshot(site);
  UNSTUCK_CHECK(site.live_blocks >= 1 && site.live_bytes >= bytes);
  --totals_.live_blocks;
  totals_.live_bytes -= bytes;
  --site.live_blocks;
  site.live_bytes -= bytes;
  site.total_lifetimes += lifetime;
  live_bytes_.note(now, totals_.live_bytes);
}

void SiteTable::resized(uint32_t index, uint64_t old_bytes, uint64_t new_bytes,
                        uint64_t now) {
  Site& site = *sites_[index];
  take_peak_snapshot(site);
  UNSTUCK_CHECK(site.live_bytes >= old_bytes);
  ++totals_.blocks;
  totals_.bytes += new_bytes;
  totals_.live_bytes = totals_.live_bytes - old_bytes + new_bytes;
  ++site.total_blocks;
  site.total_bytes += new_bytes;
  site.live_bytes = site.live_bytes - old_bytes + new_bytes;
  note_peaks(site, now);
}

void SiteTable::live_at_exit(uint32_t index, uint64_t lifetime) {
  sites_[index]->total_lifetimes += lifetime;
}

void SiteTable::settle_peak() {
  for (Site* site : sites_) take_peak_snapshot(*site);
}

void SiteTable::fold(const ShadowObject& object, uint64_t now) {
  Site& site = *sites_[object.site];
  site.bytes_read += object.bytes_read;
  site.bytes_written += object.bytes_written;
  totals_.bytes_read += object.bytes_read;
  totals_.bytes_written += object.bytes_written;
  ++site.versions_ended;
  site.sizes_ended += object.size;
  site.touched_ended += object.touched_end;
  if (object.bytes_read == 0) ++site.never_read_blocks;
  if (object.bytes_read == 0 && object.bytes_written != 0) ++site.write_only_blocks;
  if (object.lifetime(now) < g_options.short_lived) ++site.short_lived_blocks;
  if (object.touched_end * 100 < object.size * g_options.low_utilisation)
    ++site.low_utilisation_blocks;
  if (object.thread_count() >= 2 || object.more_threads) ++site.shared_blocks;
  site.threads |= object.threads;
  site.uninitialised_reads += object.uninitialised_reads;
  if (object.size > site.largest_block) {
    site.largest_block = object.size;
    site.largest_block_touched = object.touched_end;
  }
  fold_histogram(site, object);
  fold_functions(site, object);
}

void SiteTable::fold_functions(Site& site, const ShadowObject& object) {
  if (object.approximate_functions) site.approximate_functions = true;
  for (uint8_t i = 0; i < object.function_count; ++i) {
    const FunctionCount& f = object.functions[i];
    uint8_t slot = 0;
    while (slot < site.function_count && site.functions[slot].function != f.function) ++slot;
    if (slot == site.function_count) {
      if (slot < kSiteFunctions) {
        ++site.function_count;
      } else {
        slot = 0;  // the least used gives way
        for (uint8_t j = 1; j < kSiteFunctions; ++j)
          if (uint64_t{site.functions[j].reads} + site.functions[j].writes <
              uint64_t{site.functions[slot].reads} + site.functions[slot].writes)
            slot = j;
        site.approximate_functions = true;
      }
      site.functions[slot] = FunctionCount{f.function, 0, 0};
    }
    FunctionCount& mine = site.functions[slot];
    mine.reads = saturated_sum(mine.reads, f.reads);
    mine.writes = saturated_sum(mine.writes, f.writes);
  }
}

void SiteTable::fold_histogram(Site& site, const ShadowObject& object) {
  using State = Site::HistogramState;
  if (site.histogram_state == State::kMixed) return;
  const bool fits = object.histogram != nullptr ||
                    (object.touched_end == 0 && object.size <= g_options.histogram_max);
  if (!fits || (site.histogram_state == State::kSameSize &&
                site.histogram_size != object.size)) {
    site.histogram_state = State::kMixed;
    delete[] site.histogram;
    site.histogram = nullptr;
    return;
  }
  if (site.histogram_state == State::kNone) {
    site.histogram_state = State::kSameSize;
    site.histogram_size = object.size;
    site.histogram = new uint32_t[object.size]();
  }
  if (object.histogram == nullptr) return;  // never accessed: all zero
  for (uint64_t i = 0; i < object.size; ++i) {
    uint64_t sum = uint64_t{site.histogram[i]} + object.histogram[i];
    site.histogram[i] = sum > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(sum);
  }
}

void SiteTable::misused(uint32_t index, Misuse kind) {
  ++sites_[index]->misuse_counts[static_cast<int>(kind)];
}

void SiteTable::keep_or_count(ShadowObject& object, bool wanted) {
  Site& site = *sites_[object.site];
  if (wanted && (site.objects == nullptr ||
                 site.objects->size() < g_options.max_objects_per_site)) {
    if (site.objects == nullptr) site.objects = new Vector<ShadowObject*>();
    ShadowObject* copy = new_shadow_object();
    *copy = object;  // it owns what the object owned now
    object.histogram = nullptr;
    object.written = nullptr;
    object.misuse = nullptr;
    site.objects->push_back(copy);
    return;
  }
  if (wanted) ++site.objects_omitted;
  release_owned(object);
}

}  // namespace unstuck::lifetime
