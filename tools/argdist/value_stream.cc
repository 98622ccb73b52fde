#include "tools/argdist/value_stream.h"

#include "shared/rt/check.h"
#include "shared/vg/background_worker.h"

namespace unstuck::argdist {
namespace stream_detail {
uint64_t* g_cursor = nullptr;
uint64_t* g_chunk_end = nullptr;
bool g_non_temporal = false;
}  // namespace stream_detail

namespace {

using stream_detail::g_chunk_end;
using stream_detail::g_cursor;
using stream_detail::g_non_temporal;

// 1 MB in 64 chunks of 16 KB: a chunk (a few hundred calls) is worth a
// job, and the ring lets the worker fall tens of thousands of calls
// behind in a burst before the program's thread waits for it (python3's
// hot100 waited 48,563 times with 16 chunks, 15,888 with 64).
constexpr uint32_t kChunks = 64;
constexpr uint32_t kChunkWords = 2048;
static_assert(kChunkWords >= kArgumentsRecordHeader + kMaxStreamedParams);

uint64_t* g_ring = nullptr;
uint32_t g_chunk = 0;               // the chunk being written
uint64_t* g_chunk_start = nullptr;  // its first word not handed over yet
// A chunk is free again once the last job that read it is done (jobs are
// numbered from 1; 0: none).
uint64_t g_last_job_of[kChunks] = {};
uint64_t g_jobs_handed_over = 0;
uint64_t g_waits = 0;  // times the next chunk was still being read

SiteRecord* site_of(uint64_t word) { return reinterpret_cast<SiteRecord*>(word); }

// Call by call, in order (argument by argument would chain every add to
// one aggregate to the one before, through memory; call by call the
// arguments' adds are independent and overlap).
const uint64_t* aggregate_arguments(const uint64_t* record) {
  FunctionRecord* f = reinterpret_cast<FunctionRecord*>(record[0]);
  SiteRecord* site = site_of(record[1]);
  const uint64_t time = record[2];
  const uint64_t* value = record + kArgumentsRecordHeader;
  const Parameter* params = f->signature.params.data();
  ValueRecord* records = f->args.data();
  if (site != nullptr) ++site->calls;
  for (uint64_t read = record[3]; read != 0; read &= read - 1, ++value) {
    const unsigned i = static_cast<unsigned>(__builtin_ctzll(read));
    records[i].values.add(*value, time);
    if (site != nullptr) site->args[i].add(*value, params[i].type.kind);
  }
  return value;
}

const uint64_t* aggregate_return(const uint64_t* record) {
  FunctionRecord* f = reinterpret_cast<FunctionRecord*>(record[0] & ~kReturnRecord);
  SiteRecord* site = site_of(record[1]);
  const uint64_t time = record[2], duration = record[3], result = record[4];
  // (From the signature, not the plan: the plan shares cache lines with
  // the counters the guest thread writes at every call.)
  const Signature& s = f->signature;
  if (site != nullptr) ++site->returns;
  if (result_is_aggregated(s)) {
    f->result.values.add(result, time);
    if (site != nullptr) site->result.add(result, s.result.kind);
  }
  f->duration.add(duration, time);
  if (site != nullptr) site->duration.add(duration, ValueKind::kUnsigned);
  return record + kReturnRecordWords;
}

// A job: [first word, end].
void aggregate_chunk(const background::Job& job) {
  const uint64_t* record = reinterpret_cast<const uint64_t*>(job.words[0]);
  const uint64_t* end = reinterpret_cast<const uint64_t*>(job.words[1]);
  while (record < end)
    record = (record[0] & kReturnRecord) ? aggregate_return(record) : aggregate_arguments(record);
}

void hand_over_written() {
  if (g_cursor == g_chunk_start) return;
  if (g_non_temporal) __builtin_ia32_sfence();  // the records' stores, before the job
  g_last_job_of[g_chunk] = background::submit(
      {aggregate_chunk,
       {reinterpret_cast<uint64_t>(g_chunk_start), reinterpret_cast<uint64_t>(g_cursor), 0}});
  ++g_jobs_handed_over;
  g_chunk_start = g_cursor;
}

// Moves to the next chunk of the ring once the worker is done with it.
void start_next_chunk() {
  const uint32_t next = (g_chunk + 1) % kChunks;
  if (background::wait_for(g_last_job_of[next])) ++g_waits;
  g_chunk = next;
  g_chunk_start = g_cursor = g_ring + static_cast<size_t>(next) * kChunkWords;
  g_chunk_end = g_chunk_start + kChunkWords;
}

}  // namespace

namespace stream_detail {

uint64_t* room_in_next_chunk(uint32_t words) {
  UNSTUCK_CHECK(words <= kChunkWords);
  hand_over_written();
  start_next_chunk();
  uint64_t* at = g_cursor;
  g_cursor += words;
  return at;
}

}  // namespace stream_detail

bool start_value_stream(bool on_a_thread_of_its_own) {
  g_ring = new uint64_t[static_cast<size_t>(kChunks) * kChunkWords];
  g_chunk_start = g_cursor = g_ring;
  g_chunk_end = g_ring + kChunkWords;
  g_non_temporal = on_a_thread_of_its_own && background::start();
  return g_non_temporal;
}

void wait_for_aggregation() {
  hand_over_written();
  background::wait_until_idle();
}

}  // namespace unstuck::argdist

namespace unstuck::argdist {

void print_value_stream_stats() {
  VG_(umsg)("argdist: %llu chunks of values aggregated%s, waited for %llu (%llu ms in all)\n",
            static_cast<unsigned long long>(g_jobs_handed_over),
            g_non_temporal ? " on argdist's own thread" : " inline",
            static_cast<unsigned long long>(g_waits),
            static_cast<unsigned long long>(background::waited_nanoseconds() / 1000000));
}

}  // namespace unstuck::argdist
