// check-stop-conditions TRACE [--sets N] [--stops N] [--window N] [--seed N] [--verbose]
// The engine's stop conditions against the per-instruction oracle
// (TraceReplayer::set_stepping_oracle) on a real trace:
//  - random breakpoint sets stop at exactly the same times, addresses and
//    threads on both paths;
//  - random write watchpoints: the engine also stops at writes of the value
//    already there, which the oracle cannot see; each engine stop is
//    revisited (the bytes one instruction before and after), and the stops
//    that changed a watched byte must be exactly the oracle's, at the
//    lowest changed byte; the others must have changed nothing;
//  - breakpoints and write watchpoints together, compared the same way;
//  - access watchpoints (reads too) stop at least wherever the oracle does.
// Each comparison covers a window of the trace at a random place (--window
// instructions, 2,000,000 by default, reached without conditions), up to the
// engine's N-th stop in it (--stops, 60 by default); the conditions come
// from the registers at random times in the window.  Prints one line per
// check.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gdbstub/replay/trace_replayer.h"

using namespace unstuck;
using replay::Access;
using replay::ConditionHit;
using replay::ReplayOutcome;
using replay::StopConditions;
using replay::TraceReplayer;
using replay::WatchRange;

namespace {

int g_failures = 0;
bool g_verbose = false;

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++g_failures;
}

struct Sample {
  uint64_t time;
  uint32_t thread;
  uint64_t pc, sp;
  std::vector<uint64_t> pointers;  // registers that point at mapped memory
};

struct StopRecord {
  uint64_t time;
  ConditionHit::Kind kind;
  uint64_t address;
  uint32_t thread;
  bool changed = true;  // a watch stop: did the instruction change a watched byte
  bool operator==(const StopRecord& o) const {
    return time == o.time && kind == o.kind && address == o.address &&
           thread == o.thread;
  }
};

std::string describe(const StopRecord& s) {
  char text[120];
  std::snprintf(text, sizeof text, "%s at time %" PRIu64 " address 0x%" PRIx64
                " thread %u", s.kind == ConditionHit::Kind::Breakpoint ? "breakpoint" : "watch",
                s.time, s.address, s.thread);
  return text;
}

// ---- sampling the trace ---------------------------------------------------

std::vector<Sample> sample(const trace::TraceReader& reader, uint64_t start,
                           uint64_t end, int count, std::mt19937_64& rng) {
  std::vector<uint64_t> times;
  for (int i = 0; i < count; ++i) times.push_back(start + rng() % (end - start));
  std::sort(times.begin(), times.end());
  std::vector<Sample> samples;
  TraceReplayer r(reader);
  for (uint64_t t : times) {
    if (r.run_until(t) != ReplayOutcome::Finished) break;
    const VexGuestAMD64State* s = r.registers(r.running_thread());
    if (s == nullptr) continue;
    Sample sm{r.time(), r.running_thread(), s->guest_RIP, s->guest_RSP, {}};
    for (uint64_t v : {s->guest_RDI, s->guest_RSI, s->guest_RDX, s->guest_RBX,
                       s->guest_RBP, s->guest_RAX, s->guest_R12})
      if (r.is_mapped(v, 8)) sm.pointers.push_back(v);
    samples.push_back(sm);
  }
  return samples;
}

// ---- random conditions ----------------------------------------------------

template <typename T>
const T& pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[rng() % v.size()];
}

std::vector<uint64_t> random_breakpoints(const std::vector<Sample>& samples,
                                         std::mt19937_64& rng) {
  std::vector<uint64_t> bps;
  int n = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < n; ++i) bps.push_back(pick(samples, rng).pc);
  return bps;
}

// Non-overlapping ranges in address order: then the oracle's stop address
// (the first range with a changed byte) is the lowest changed byte.  Their
// places: bytes that instructions of the window accessed (`accessed`, with
// the access wanted), else the stack or a pointer of a sample.
std::vector<WatchRange> random_watches(const std::vector<Sample>& samples,
                                       const std::vector<uint64_t>& accessed,
                                       Access access, std::mt19937_64& rng) {
  std::vector<WatchRange> ranges;
  int n = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) {
    const Sample& s = pick(samples, rng);
    uint64_t base = !accessed.empty() && rng() % 4 != 0 ? pick(accessed, rng)
                    : s.pointers.empty() || rng() % 2 == 0 ? s.sp + 8 * (rng() % 8)
                                                            : pick(s.pointers, rng);
    uint64_t length = rng() % 3 == 0 ? 1 : 8;
    ranges.push_back({length == 1 ? base : base & ~uint64_t{7}, length, access});
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const WatchRange& a, const WatchRange& b) { return a.address < b.address; });
  std::vector<WatchRange> disjoint;
  for (const WatchRange& r : ranges)
    if (disjoint.empty() || disjoint.back().address + disjoint.back().length <= r.address)
      disjoint.push_back(r);
  return disjoint;
}

// The lowest bytes touched by the first `per_point` accessing instructions
// after each of `points` random times in [from, to) (only those written,
// for `access` Write): with all memory watched, the engine stops after
// every access.
std::vector<uint64_t> accessed_bytes(const trace::TraceReader& reader, uint64_t from,
                                     uint64_t to, Access access, std::mt19937_64& rng) {
  const int points = 4, per_point = 25;
  std::vector<uint64_t> times;
  for (int i = 0; i < points; ++i) times.push_back(from + rng() % (to - from));
  std::sort(times.begin(), times.end());
  StopConditions everything;
  everything.watchpoints = {{0, replay::kGuestLimit, Access::Either}};
  std::vector<uint64_t> bytes;
  TraceReplayer r(reader);
  for (uint64_t t : times) {
    if (r.run_until(t) != ReplayOutcome::Finished) break;
    for (int k = 0; k < per_point; ++k) {
      if (r.run_until(to, everything, UINT64_MAX) != ReplayOutcome::Stopped) break;
      if (access != Access::Write || r.hit().access == Access::Write)
        bytes.push_back(r.hit().address);
    }
  }
  return bytes;
}

// ---- replaying with conditions ---------------------------------------------

// A part of the trace: the comparisons replay to `from` without conditions,
// then with them to `to` at most.
struct Window {
  uint64_t from, to;
};

// Stops in the window up to `until`, at most `max_stops`, resuming as the
// time machine does after a breakpoint (not again at the same time).
std::vector<StopRecord> collect(const trace::TraceReader& reader, const StopConditions& c,
                                bool oracle, uint64_t from, uint64_t until,
                                size_t max_stops) {
  TraceReplayer r(reader);
  r.run_until(from);
  r.set_stepping_oracle(oracle);
  std::vector<StopRecord> stops;
  uint64_t ignore = UINT64_MAX;
  while (stops.size() < max_stops) {
    ReplayOutcome outcome = r.run_until(until, c, ignore);
    if (outcome != ReplayOutcome::Stopped) {
      if (outcome != ReplayOutcome::Finished)
        check(false, std::string("replay with conditions: ") + r.error() +
                         r.divergence().what);
      break;
    }
    stops.push_back({r.time(), r.hit().kind, r.hit().address, r.running_thread()});
    ignore = r.hit().kind == ConditionHit::Kind::Breakpoint ? r.time() : UINT64_MAX;
  }
  return stops;
}

bool read_ranges(TraceReplayer& r, const std::vector<WatchRange>& ranges,
                 std::vector<std::vector<uint8_t>>* out) {
  out->clear();
  for (const WatchRange& w : ranges) {
    out->emplace_back(w.length);
    if (!r.memory().read(w.address, out->back().data(), w.length)) return false;
  }
  return true;
}

// The lowest watched byte that differs, or 0.
uint64_t lowest_change(const std::vector<WatchRange>& ranges,
                       const std::vector<std::vector<uint8_t>>& before,
                       const std::vector<std::vector<uint8_t>>& after) {
  for (size_t i = 0; i < ranges.size(); ++i)
    for (uint64_t k = 0; k < ranges[i].length; ++k)
      if (before[i][k] != after[i][k]) return ranges[i].address + k;
  return 0;
}

// Revisits each watch stop: the watched bytes one instruction before it
// (events of that time applied, as the oracle sees them) and at it.  Marks
// the stops that changed nothing, and gives the others the lowest changed
// byte.  False when a revisit does not stop where the first pass did.
bool classify(const trace::TraceReader& reader, const StopConditions& c, Window w,
              std::vector<StopRecord>& stops) {
  const uint64_t end = w.to;
  TraceReplayer r(reader);
  r.run_until(w.from);
  uint64_t ignore = UINT64_MAX;
  std::vector<std::vector<uint8_t>> before, after;
  for (StopRecord& s : stops) {
    if (s.time > r.time() && r.run_until(s.time - 1, c, ignore) != ReplayOutcome::Finished)
      return false;
    bool readable = read_ranges(r, c.watchpoints, &before);
    if (r.run_until(end, c, ignore) != ReplayOutcome::Stopped || r.time() != s.time ||
        r.hit().kind != s.kind || r.hit().address != s.address) {
      std::printf("     revisiting %s: stopped at time %" PRIu64 " (%d, 0x%" PRIx64 ")\n",
                  describe(s).c_str(), r.time(), static_cast<int>(r.hit().kind),
                  r.hit().address);
      return false;
    }
    ignore = s.kind == ConditionHit::Kind::Breakpoint ? s.time : UINT64_MAX;
    if (s.kind != ConditionHit::Kind::Watchpoint) continue;
    readable = read_ranges(r, c.watchpoints, &after) && readable;
    uint64_t changed = readable ? lowest_change(c.watchpoints, before, after) : 0;
    if (changed != 0 && changed < s.address) return false;  // the engine's is the lowest touched
    s.changed = changed != 0;
    if (s.changed) s.address = changed;
  }
  return true;
}

std::vector<StopRecord> value_changes(const std::vector<StopRecord>& stops) {
  std::vector<StopRecord> out;
  for (const StopRecord& s : stops)
    if (s.changed) out.push_back(s);
  return out;
}

std::vector<StopRecord> up_to(std::vector<StopRecord> stops, uint64_t limit) {
  std::erase_if(stops, [limit](const StopRecord& s) { return s.time > limit; });
  return stops;
}

void report_difference(const std::vector<StopRecord>& engine,
                       const std::vector<StopRecord>& oracle) {
  size_t i = 0;
  while (i < engine.size() && i < oracle.size() && engine[i] == oracle[i]) ++i;
  std::printf("     first difference at stop %zu: engine %s, oracle %s\n", i,
              i < engine.size() ? describe(engine[i]).c_str() : "none",
              i < oracle.size() ? describe(oracle[i]).c_str() : "none");
}

struct Comparison {
  std::vector<StopRecord> engine, oracle;
  uint64_t limit;
};

// The engine's stops in the window up to its max_stops-th, and the
// oracle's up to the same time.
Comparison compare_paths(const trace::TraceReader& reader, const StopConditions& c,
                         Window w, size_t max_stops) {
  Comparison r;
  r.engine = collect(reader, c, false, w.from, w.to, max_stops);
  r.limit = r.engine.size() == max_stops ? r.engine.back().time - 1 : w.to;
  r.engine = up_to(r.engine, r.limit);
  r.oracle = up_to(collect(reader, c, true, w.from, r.limit + 1, SIZE_MAX), r.limit);
  return r;
}

// A random window, and the samples taken in it (all of them when none is).
Window random_window(uint64_t start, uint64_t end, uint64_t length, std::mt19937_64& rng) {
  if (end - start <= length) return {start, end};
  uint64_t from = start + rng() % (end - start - length);
  return {from, from + length};
}

std::vector<Sample> samples_in(const std::vector<Sample>& samples, Window w) {
  std::vector<Sample> in;
  for (const Sample& s : samples)
    if (s.time >= w.from && s.time < w.to) in.push_back(s);
  return in.empty() ? samples : in;
}

std::string range_text(const StopConditions& c) {
  std::string text;
  for (uint64_t b : c.breakpoints) text += " bp " + std::to_string(b);
  for (const WatchRange& w : c.watchpoints)
    text += " watch " + std::to_string(w.address) + "+" + std::to_string(w.length);
  return text;
}

// The three comparisons, over `sets` random windows each.
class Checker {
 public:
  Checker(const trace::TraceReader& reader, std::vector<Sample> samples, uint64_t seed)
      : reader_(reader), samples_(std::move(samples)), rng_(seed) {}

  int sets = 3;
  size_t max_stops = 60;
  uint64_t window = 2'000'000;

  void compare_breakpoints() {
    bool same = true;
    for (int i = 0; i < sets; ++i) {
      Window w = next_window();
      StopConditions c;
      c.breakpoints = random_breakpoints(samples_in(samples_, w), rng_);
      Comparison r = compare_paths(reader_, c, w, max_stops);
      breakpoint_stops_ += r.engine.size();
      if (r.engine == r.oracle) continue;
      same = false;
      std::printf("     breakpoints%s:\n", range_text(c).c_str());
      report_difference(r.engine, r.oracle);
    }
    check(same && breakpoint_stops_ > 0,
          "random breakpoint sets stop at the same times and places as the oracle");
  }

  // Write watchpoints (and breakpoints too): the engine's stops that
  // changed a byte are the oracle's; the others changed nothing.
  bool compare_watches(bool with_breakpoints) {
    bool same = true;
    for (int i = 0; i < sets; ++i) {
      Window w = next_window();
      std::vector<Sample> near = samples_in(samples_, w);
      std::vector<uint64_t> written = accessed_bytes(reader_, w.from, w.to, Access::Write, rng_);
      StopConditions c;
      c.watchpoints = random_watches(near, written, Access::Write, rng_);
      if (with_breakpoints) c.breakpoints = random_breakpoints(near, rng_);
      Comparison r = compare_paths(reader_, c, w, max_stops);
      if (!classify(reader_, c, {w.from, r.limit + 1}, r.engine)) {
        same = false;
        std::printf("     revisiting the stops of%s failed\n", range_text(c).c_str());
        continue;
      }
      std::vector<StopRecord> changes = value_changes(r.engine);
      same_value_writes_ += r.engine.size() - changes.size();
      changes_compared_ += changes.size();
      if (changes == r.oracle) continue;
      same = false;
      std::printf("    %s:\n", range_text(c).c_str());
      report_difference(changes, r.oracle);
    }
    return same && changes_compared_ > 0;
  }

  // Access watchpoints stop at reads too: at least where the oracle does.
  void compare_access_watches() {
    bool superset = true;
    for (int i = 0; i < sets; ++i) {
      Window w = next_window();
      std::vector<uint64_t> touched = accessed_bytes(reader_, w.from, w.to, Access::Either, rng_);
      StopConditions c;
      c.watchpoints = random_watches(samples_in(samples_, w), touched, Access::Either, rng_);
      Comparison r = compare_paths(reader_, c, w, max_stops);
      access_stops_ += r.engine.size();
      oracle_stops_ += r.oracle.size();
      for (const StopRecord& o : r.oracle)
        if (std::none_of(r.engine.begin(), r.engine.end(),
                         [&](const StopRecord& e) { return e.time == o.time; }))
          superset = false;
    }
    check(superset, "access watchpoints stop wherever the oracle's write check does");
  }

  void print_counts() const {
    std::printf("     %zu breakpoint stops, %zu watch stops that changed a byte, %zu "
                "same-value writes, %zu access stops (the oracle: %zu)\n",
                breakpoint_stops_, changes_compared_, same_value_writes_, access_stops_,
                oracle_stops_);
  }

 private:
  Window next_window() {
    return random_window(reader_.header().start_time, reader_.last_time(), window, rng_);
  }

  const trace::TraceReader& reader_;
  std::vector<Sample> samples_;
  std::mt19937_64 rng_;
  size_t breakpoint_stops_ = 0, changes_compared_ = 0, same_value_writes_ = 0;
  size_t access_stops_ = 0, oracle_stops_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: check-stop-conditions TRACE [--sets N] [--stops N] "
                         "[--window N] [--seed N] [--verbose]\n");
    return 2;
  }
  std::string error;
  auto reader = trace::TraceReader::open(argv[1], &error);
  if (!reader) {
    std::fprintf(stderr, "check-stop-conditions: %s\n", error.c_str());
    return 1;
  }
  uint64_t seed = 7;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 0);
  std::mt19937_64 rng(seed);
  std::vector<Sample> samples =
      sample(*reader, reader->header().start_time, reader->last_time(), 200, rng);
  if (samples.empty()) {
    std::fprintf(stderr, "check-stop-conditions: no samples\n");
    return 1;
  }
  Checker checker(*reader, std::move(samples), rng());
  for (int i = 2; i < argc; ++i) {
    bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--sets") == 0 && has_value) checker.sets = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--stops") == 0 && has_value) checker.max_stops = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--window") == 0 && has_value) checker.window = std::strtoull(argv[++i], nullptr, 0);
    else if (std::strcmp(argv[i], "--verbose") == 0) g_verbose = true;
  }
  checker.compare_breakpoints();
  check(checker.compare_watches(false),
        "write watchpoints: the stops that change a byte are the oracle's");
  check(checker.compare_watches(true), "breakpoints and write watchpoints together: the same");
  checker.compare_access_watches();
  if (g_verbose) checker.print_counts();
  return g_failures == 0 ? 0 : 1;
}
