// The shadow core's host benchmark: shadow-map get/set throughput, range
// operations against memcpy, memory per MB of written application memory,
// and label-set union costs.  Run with `make bench-shadow`; the figures in
// docs/shadow-core.md come from it.  Not part of make check.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "shared/shadow/label_sets.h"
#include "shared/shadow/shadow_map.h"

namespace {

using unstuck::shadow::kChunkBytes;
using unstuck::shadow::LabelSetBuilder;
using unstuck::shadow::LabelSetId;
using unstuck::shadow::LabelSets;
using unstuck::shadow::ShadowMap;

constexpr uint64_t kMB = uint64_t{1} << 20;
constexpr uint64_t kBase = 0x400000000;  // inside the primary table
constexpr uint64_t kHighBase = 0x7f0000000000;  // above it: the hash map
volatile uint64_t g_sink;                 // keeps results alive

// Best of three runs, in seconds.
template <typename F>
double best_seconds(F&& run) {
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (took.count() < best) best = took.count();
  }
  return best;
}

// Best of three, timing `run` only, after an untimed `prepare` each time.
template <typename P, typename F>
double best_seconds_after(P&& prepare, F&& run) {
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    prepare();
    auto start = std::chrono::steady_clock::now();
    run();
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (took.count() < best) best = took.count();
  }
  return best;
}

void report_ns(const char* what, double seconds, uint64_t operations) {
  std::printf("  %-52s %8.2f ns/op\n", what, seconds * 1e9 / operations);
}

void report_rate(const char* what, double seconds, uint64_t bytes) {
  std::printf("  %-52s %8.0f MB/s\n", what, bytes / (seconds * kMB));
}

std::vector<uint64_t> random_addresses(uint64_t base, uint64_t span, size_t n) {
  std::mt19937_64 rng(1);
  std::vector<uint64_t> out(n);
  for (uint64_t& a : out) a = base + rng() % span;
  return out;
}

template <typename T>
void bench_get_set(const char* name) {
  std::printf("%s:\n", name);
  ShadowMap<T> map;
  const uint64_t span = 64 * kMB;
  map.set_range(kBase, span, 1);
  const std::vector<uint64_t> addresses = random_addresses(kBase, span, 1 << 20);
  const std::vector<uint64_t> untouched =
      random_addresses(kBase + 2 * span, span, 1 << 20);
  const int rounds = 16;
  const uint64_t ops = uint64_t{rounds} * addresses.size();

  report_ns("get, random, written memory", best_seconds([&] {
              uint64_t sum = 0;
              for (int r = 0; r < rounds; ++r)
                for (uint64_t a : addresses) sum += map.get(a);
              g_sink = sum;
            }), ops);
  report_ns("get, random, default memory", best_seconds([&] {
              uint64_t sum = 0;
              for (int r = 0; r < rounds; ++r)
                for (uint64_t a : untouched) sum += map.get(a);
              g_sink = sum;
            }), ops);
  ShadowMap<T> high;
  high.set_range(kHighBase, span, 1);
  const std::vector<uint64_t> high_addresses =
      random_addresses(kHighBase, span, 1 << 20);
  report_ns("get, random, written memory above 2^37 (hash map)",
            best_seconds([&] {
              uint64_t sum = 0;
              for (int r = 0; r < rounds; ++r)
                for (uint64_t a : high_addresses) sum += high.get(a);
              g_sink = sum;
            }), ops);
  report_ns("get, sequential", best_seconds([&] {
              uint64_t sum = 0;
              for (uint64_t a = kBase; a < kBase + 16 * kMB; ++a) sum += map.get(a);
              g_sink = sum;
            }), 16 * kMB);
  report_ns("set, random, written memory", best_seconds([&] {
              for (int r = 0; r < rounds; ++r)
                for (uint64_t a : addresses) map.set(a, static_cast<T>(r + 1));
            }), ops);
  report_ns("set default, random, default memory", best_seconds([&] {
              for (int r = 0; r < rounds; ++r)
                for (uint64_t a : untouched) map.set(a, 0);
            }), ops);
}

template <typename T>
void bench_ranges(const char* name) {
  std::printf("%s, 64 MB ranges:\n", name);
  const uint64_t span = 64 * kMB;
  const uint64_t shadow_bytes = span * sizeof(T);
  ShadowMap<T> map;
  map.set_range(kBase, span, 1);
  map.set_range(kBase + span, span, 1);
  report_rate("set_range, written memory (shadow bytes)",
              best_seconds([&] { map.set_range(kBase, span, 2); }), shadow_bytes);
  const uint64_t fresh = kBase + 4 * span;
  report_rate("set_range, first write (allocates chunks)",
              best_seconds_after([&] { map.clear_range(fresh, span); },
                                 [&] { map.set_range(fresh, span, 3); }),
              shadow_bytes);
  report_rate("clear_range of written memory (frees chunks)",
              best_seconds_after([&] { map.set_range(fresh, span, 3); },
                                 [&] { map.clear_range(fresh, span); }),
              shadow_bytes);
  report_rate("clear_range, 1 byte short of whole chunks (fills)",
              best_seconds_after([&] { map.set_range(fresh, span, 3); },
                                 [&] { map.clear_range(fresh + 1, span - 1); }),
              shadow_bytes);
  report_rate("copy_range, chunk-aligned", best_seconds([&] {
                map.copy_range(kBase, kBase + span, span);
              }), shadow_bytes);
  report_rate("copy_range, misaligned by 12345 bytes", best_seconds([&] {
                map.copy_range(kBase + 12345, kBase + span, span - 12345);
              }), shadow_bytes);
  report_rate("for_each_run over one uniform run", best_seconds([&] {
                uint64_t runs = 0;
                map.for_each_run(kBase, span, [&](uint64_t, uint64_t, T) { ++runs; });
                g_sink = runs;
              }), shadow_bytes);
  report_ns("clear_range of 64 GB of default memory (ns per call)",
            best_seconds([&] { map.clear_range(kBase + 8 * span, 64 * 1024 * kMB); }),
            1);
  std::vector<char> a(shadow_bytes, 1), b(shadow_bytes, 2);
  report_rate("(memcpy of the same shadow bytes, for comparison)",
              best_seconds([&] { std::memcpy(b.data(), a.data(), shadow_bytes); }),
              shadow_bytes);
}

template <typename T, unsigned G>
void report_memory(const char* name) {
  ShadowMap<T, G> contiguous;
  contiguous.set_range(kBase, 64 * kMB, 1);
  ShadowMap<T, G> sparse;  // one byte written per 4 KB page
  for (uint64_t a = kBase; a < kBase + 64 * kMB; a += 4096) sparse.set(a, 1);
  ShadowMap<T, G> mapped;  // 1 GB mapped (default), 64 MB of it written
  mapped.set_range(kBase, 1024 * kMB, 0);
  mapped.set_range(kBase + 512 * kMB, 64 * kMB, 1);
  std::printf("  %-24s %9.3f %9.3f %12.1f %10.1f\n", name,
              double(contiguous.memory().private_bytes) / (64 * kMB),
              double(sparse.memory().private_bytes) / (64 * kMB),
              double(mapped.memory().private_bytes) / kMB,
              double(contiguous.memory().fixed_bytes) / kMB);
}

void bench_memory() {
  std::printf("memory: MB of shadow per MB of application memory\n");
  std::printf("  %-24s %9s %9s %12s %10s\n", "map", "contig", "1B/page",
              "1GB+64MB:MB", "fixed MB");
  report_memory<uint8_t, 1>("uint8_t per byte");
  report_memory<uint32_t, 1>("uint32_t per byte");
  report_memory<uint32_t, 16>("uint32_t per 16 bytes");
}

void bench_label_sets() {
  std::printf("label sets:\n");
  LabelSets sets;
  auto in = sets.add_source("input.bin");
  auto net = sets.add_source("net");
  const int n = 1 << 16;
  // Two-range sets, so that no union is trivial.
  std::vector<LabelSetId> left(n), right(n);
  for (int i = 0; i < n; ++i) {
    left[i] = sets.union_of(sets.single(in, 100 * i, 100 * i + 10),
                            sets.single(net, 0, 4));
    right[i] = sets.single(in, 100 * i + 50, 100 * i + 60);
  }
  // Misses: a fresh table each round, timing the unions only.
  double miss_only = 1e30;
  for (int round = 0; round < 3; ++round) {
    LabelSets fresh;
    auto f_in = fresh.add_source("input.bin");
    std::vector<LabelSetId> a(n), b(n);
    for (int i = 0; i < n; ++i) {
      a[i] = fresh.single(f_in, 100 * i, 100 * i + 10);
      b[i] = fresh.single(f_in, 100 * i + 50, 100 * i + 60);
    }
    auto start = std::chrono::steady_clock::now();
    uint64_t sum = 0;
    for (int i = 0; i < n; ++i) sum += fresh.union_of(a[i], b[i]);
    g_sink = sum;
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (took.count() < miss_only) miss_only = took.count();
  }
  report_ns("union, memo miss (merge + intern + memo insert)", miss_only, n);

  for (int i = 0; i < n; ++i) g_sink = sets.union_of(left[i], right[i]);
  const int rounds = 32;
  report_ns("union, memo hit (64 Ki pairs seen before)", best_seconds([&] {
              uint64_t sum = 0;
              for (int r = 0; r < rounds; ++r)
                for (int i = 0; i < n; ++i) sum += sets.union_of(left[i], right[i]);
              g_sink = sum;
            }), uint64_t{rounds} * n);
  report_ns("union, memo hit (one hot pair)", best_seconds([&] {
              uint64_t sum = 0;
              for (int r = 0; r < rounds * n; ++r) sum += sets.union_of(left[7], right[7]);
              g_sink = sum;
            }), uint64_t{rounds} * n);
  LabelSetId whole = sets.single(in, 0, 1 << 20);
  report_ns("union with a byte label already inside", best_seconds([&] {
              uint64_t sum = 0;
              for (int i = 0; i < rounds * n; ++i)
                sum += sets.union_of(whole, sets.single(in, i & 0xfffff, (i & 0xfffff) + 1));
              g_sink = sum;
            }), uint64_t{rounds} * n);
  report_ns("builder, per byte label added in order", best_seconds([&] {
              LabelSetBuilder builder(sets);
              for (int i = 0; i < rounds * n; ++i) builder.add(sets.single(in, i, i + 1));
              g_sink = builder.finish();
            }), uint64_t{rounds} * n);
  auto stats = sets.stats();
  std::printf("  (%zu interned sets, %zu memo entries)\n", stats.interned_sets,
              stats.memo_entries);
}

}  // namespace

int main() {
  std::printf("unstuck shadow-core benchmark (host, %zu KB chunks)\n\n",
              static_cast<size_t>(kChunkBytes / 1024));
  bench_get_set<uint8_t>("ShadowMap<uint8_t>");
  bench_get_set<uint32_t>("ShadowMap<uint32_t>");
  std::printf("\n");
  bench_ranges<uint8_t>("ShadowMap<uint8_t>");
  bench_ranges<uint32_t>("ShadowMap<uint32_t>");
  std::printf("\n");
  bench_memory();
  std::printf("\n");
  bench_label_sets();
  return 0;
}
