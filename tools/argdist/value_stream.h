// The values of traced calls on their way to the aggregates: one stream of
// records, in the order the calls and returns happened, aggregated a chunk
// at a time on a thread of argdist's own when a second CPU is free
// (shared/vg/background_worker.h), else on the guest thread.
//
// Python3's 100 most called functions spend about a quarter of their time
// in the aggregates (60 ns a call: histograms, top values, call sites'
// summaries, mostly cache misses), which another core can take.  What the
// replay hands over must then be cheap to write and to move between cores:
// records written one after another into a ring, each chunk read once by
// the worker, rather than buffers per function
// (tried first: 100 functions' buffers did not fit in the cache, and the
// guest thread's scattered writes to them cost about what the worker
// saved).
//
// Records (a FunctionRecord is 16-byte aligned; the low bit tells them
// apart):
//   arguments: [function, site, time, mask, the values of the mask's bits
//               in increasing order]
//   return:    [function | 1, site, time of the ret, duration, result]
// `site` is null with --sites=no.  The aggregates and the call sites'
// summaries belong to the stream's reader until wait_for_aggregation().
#pragma once

#include <stdint.h>

#include "tools/argdist/function_record.h"

namespace unstuck::argdist {

constexpr uint64_t kReturnRecord = 1;
constexpr uint32_t kArgumentsRecordHeader = 4;
constexpr uint32_t kReturnRecordWords = 5;
// A function with more parameters aggregates its arguments on the guest
// thread (the mask is one word).
constexpr size_t kMaxStreamedParams = 64;

// From post_clo_init; true when a worker aggregates (--aggregation-thread
// and a second CPU).
bool start_value_stream(bool on_a_thread_of_its_own);

// With -v: how many chunks went to the aggregation, and how often the
// program's thread waited for one.
void print_value_stream_stats();

// Hands over what was written and returns when every record is
// aggregated: the aggregates may be read then.
void wait_for_aggregation();

namespace stream_detail {
extern uint64_t* g_cursor;
extern uint64_t* g_chunk_end;
extern bool g_non_temporal;  // the worker reads the records
uint64_t* room_in_next_chunk(uint32_t words);
}  // namespace stream_detail

// Room for a record of `words` words (at most kArgumentsRecordHeader +
// kMaxStreamedParams), to be filled before the next call.
inline uint64_t* value_stream_room(uint32_t words) {
  using namespace stream_detail;
  if (g_cursor + words > g_chunk_end) return room_in_next_chunk(words);
  uint64_t* at = g_cursor;
  g_cursor += words;
  return at;
}

// Writes the words of a record.  With the worker, around the caches (a
// non-temporal store): written here and read on the worker's core, a
// cached line would have to be fetched back from that core when the ring
// comes round to it again, and one such transfer per 64 bytes cost
// python3's 100 hottest functions (3 GB of records) about a tenth of
// their run; written in order, the records fill whole lines, which go to
// memory without being read.  Without it, into the cache, where the
// aggregation reads them next.
inline void put_value_words(uint64_t* at, const uint64_t* words, uint32_t count) {
  // (The flag is read once: the non-temporal stores may alias it for all
  // the compiler knows, which had it reloaded before every word.)
  if (stream_detail::g_non_temporal) {
    for (uint32_t k = 0; k < count; ++k)
      __builtin_ia32_movnti64(reinterpret_cast<long long*>(at + k), static_cast<long long>(words[k]));
  } else {
    for (uint32_t k = 0; k < count; ++k) at[k] = words[k];
  }
}


}  // namespace unstuck::argdist
