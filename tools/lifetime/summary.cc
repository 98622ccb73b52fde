#include "tools/lifetime/summary.h"

#include "shared/rt/vector.h"
#include "shared/shadow/heap_sort.h"
#include "tools/lifetime/misuse.h"
#include "tools/lifetime/options.h"
#include "tools/lifetime/sites.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::lifetime {
namespace {

// The sites for which `wanted` holds, the `g_options.summary_sites` first
// by `key` (descending; ties by site order, so the output is stable).
template <typename Wanted, typename Key>
Vector<Site*> pick_sites(SiteTable& sites, Wanted wanted, Key key) {
  Vector<Site*> picked;
  for (size_t i = 0; i < sites.size(); ++i)
    if (wanted(sites.site(i))) picked.push_back(&sites.site(i));
  shadow::heap_sort(picked.data(), picked.size(), [&](Site* a, Site* b) {
    uint64_t ka = key(*a), kb = key(*b);
    return ka != kb ? ka > kb : a->index < b->index;
  });
  while (picked.size() > g_options.summary_sites) picked.pop_back();
  return picked;
}

void print_totals(const HeapTotals& t) {
  VG_(umsg)("Total:     %'llu bytes in %'llu blocks\n", (ULong)t.bytes, (ULong)t.blocks);
  VG_(umsg)("At t-gmax: %'llu bytes in %'llu blocks\n", (ULong)t.gmax_bytes,
            (ULong)t.gmax_blocks);
  VG_(umsg)("At t-end:  %'llu bytes in %'llu blocks\n", (ULong)t.live_bytes,
            (ULong)t.live_blocks);
  VG_(umsg)("Reads:     %'llu bytes\n", (ULong)t.bytes_read);
  VG_(umsg)("Writes:    %'llu bytes\n", (ULong)t.bytes_written);
}

void print_top_sites(SiteTable& sites) {
  Vector<Site*> top = pick_sites(
      sites, [](const Site& s) { return s.total_bytes != 0; },
      [](const Site& s) { return s.total_bytes; });
  if (top.empty()) return;
  VG_(umsg)("\nTop sites by bytes allocated:\n");
  for (Site* s : top) {
    uint64_t u = s->utilisation_permille();
    VG_(umsg)("  %'llu bytes in %'llu blocks, avg lifetime %'llu instrs, "
              "%llu.%llu%% used\n",
              (ULong)s->total_bytes, (ULong)s->total_blocks,
              (ULong)s->average_lifetime(), (ULong)(u / 10), (ULong)(u % 10));
    VG_(pp_ExeContext)(s->stack);
  }
}

void print_short_lived(SiteTable& sites) {
  Vector<Site*> picked = pick_sites(
      sites, [](const Site& s) { return (s.flags() & kFlagShortLived) != 0; },
      [](const Site& s) { return s.total_blocks; });
  if (picked.empty()) return;
  VG_(umsg)("\nShort-lived (under %'llu instructions on average):\n",
            (ULong)g_options.short_lived);
  for (Site* s : picked) {
    VG_(umsg)("  %'llu blocks (%'llu bytes), avg lifetime %'llu instrs\n",
              (ULong)s->total_blocks, (ULong)s->total_bytes,
              (ULong)s->average_lifetime());
    VG_(pp_ExeContext)(s->stack);
  }
}

void print_low_utilisation(SiteTable& sites) {
  Vector<Site*> picked = pick_sites(
      sites, [](const Site& s) { return (s.flags() & kFlagLowUtilisation) != 0; },
      [](const Site& s) { return s.sizes_ended - s.touched_ended; });
  if (picked.empty()) return;
  VG_(umsg)("\nLow utilisation (under %llu%% of the bytes touched):\n",
            (ULong)g_options.low_utilisation);
  for (Site* s : picked) {
    if (s->versions_ended == 1)
      VG_(umsg)("  allocated %'llu bytes, touched only the first %'llu\n",
                (ULong)s->largest_block, (ULong)s->largest_block_touched);
    else
      VG_(umsg)("  %'llu blocks, allocated %'llu bytes, touched %'llu of them "
                "(largest %'llu bytes, touched only the first %'llu)\n",
                (ULong)s->versions_ended, (ULong)s->sizes_ended,
                (ULong)s->touched_ended, (ULong)s->largest_block,
                (ULong)s->largest_block_touched);
    VG_(pp_ExeContext)(s->stack);
  }
}

void print_never_read(SiteTable& sites) {
  Vector<Site*> picked = pick_sites(
      sites, [](const Site& s) { return (s.flags() & kFlagNeverRead) != 0; },
      [](const Site& s) { return s.total_bytes; });
  if (picked.empty()) return;
  VG_(umsg)("\nNever read:\n");
  for (Site* s : picked) {
    VG_(umsg)("  %'llu bytes in %'llu blocks, %s\n", (ULong)s->total_bytes,
              (ULong)s->total_blocks,
              s->bytes_written != 0 ? "written but never read" : "never used");
    VG_(pp_ExeContext)(s->stack);
  }
}

void print_leaked(SiteTable& sites) {
  Vector<Site*> picked = pick_sites(
      sites, [](const Site& s) { return s.live_blocks != 0; },
      [](const Site& s) { return s.live_bytes; });
  if (picked.empty()) return;
  VG_(umsg)("\nLive at exit:\n");
  for (Site* s : picked) {
    VG_(umsg)("  %'llu bytes in %'llu blocks\n", (ULong)s->live_bytes,
              (ULong)s->live_blocks);
    VG_(pp_ExeContext)(s->stack);
  }
}

void print_misuse_counts(SiteTable& sites) {
  uint64_t counts[kMisuseKinds] = {};
  for (size_t i = 0; i < sites.size(); ++i)
    for (int k = 0; k < kMisuseKinds; ++k) counts[k] += sites.site(i).misuse_counts[k];
  VG_(umsg)("\nMisuse: %'llu use after free, %'llu outside a block, "
            "%'llu reads before writes, %'llu mismatched frees\n",
            (ULong)counts[0], (ULong)counts[1], (ULong)counts[2], (ULong)counts[3]);
}

}  // namespace

// Silenced by -q, like DHAT's summary (misuse is still shown as it happens).
void print_summary(SiteTable& sites, const char* output_path) {
  if (VG_(clo_verbosity) == 0) return;
  print_totals(sites.totals());
  print_top_sites(sites);
  print_short_lived(sites);
  print_low_utilisation(sites);
  print_never_read(sites);
  print_leaked(sites);
  print_misuse_counts(sites);
  if (output_path != nullptr)
    VG_(umsg)("\nThe profile is in %s (docs/lifetime.md explains it).\n", output_path);
}

}  // namespace unstuck::lifetime
