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

// Chunks of 16 KB (a few hundred calls: worth a job), taken from a pool
// that grows while the worker is behind, up to 12 MB.  The worker is
// faster than the program's thread on the whole (python3's hot100: it is
// busy two fifths of the time), but not in every phase: where calls come
// densest it falls behind, and a fixed ring of 64 chunks (1 MB) made the
// program's thread wait for it 45 to 440 ms a run.  A pool lets it run on
// and the worker catch up afterwards; chunks are reused most recently
// finished first, so a run that never bursts keeps a handful of them.
constexpr uint32_t kChunkWords = 2048;
constexpr uint32_t kMaxChunks = 768;  // under the worker's queue of 1024 jobs
static_assert(kChunkWords >= kArgumentsRecordHeader + kMaxStreamedParams);

uint64_t* g_chunk_base = nullptr;   // the chunk being written
uint64_t* g_chunk_start = nullptr;  // its first word not handed over yet
// The last job that reads the chunk being written (jobs are numbered from
// 1; 0: none yet).
uint64_t g_chunk_last_job = 0;

// Chunks handed over, oldest first: each is free once its last job is
// done, and jobs finish in order.
struct ChunkInFlight {
  uint64_t* base;
  uint64_t last_job;
};
ChunkInFlight g_in_flight[kMaxChunks];
uint32_t g_in_flight_oldest = 0;
uint32_t g_in_flight_count = 0;
uint64_t* g_free_chunks[kMaxChunks];
uint32_t g_free_count = 0;
uint32_t g_chunks_made = 0;

uint64_t g_jobs_handed_over = 0;
uint64_t g_waits = 0;  // times every chunk was still being read

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
  g_chunk_last_job = background::submit(
      {aggregate_chunk,
       {reinterpret_cast<uint64_t>(g_chunk_start), reinterpret_cast<uint64_t>(g_cursor), 0}});
  ++g_jobs_handed_over;
  g_chunk_start = g_cursor;
}

void free_finished_chunks() {
  while (g_in_flight_count > 0) {
    const ChunkInFlight& oldest = g_in_flight[g_in_flight_oldest];
    if (!background::finished(oldest.last_job)) return;
    g_free_chunks[g_free_count++] = oldest.base;
    g_in_flight_oldest = (g_in_flight_oldest + 1) % kMaxChunks;
    --g_in_flight_count;
  }
}

uint64_t* take_chunk() {
  free_finished_chunks();
  if (g_free_count == 0 && g_chunks_made < kMaxChunks) {
    ++g_chunks_made;
    return new uint64_t[kChunkWords];
  }
  if (g_free_count == 0) {
    background::wait_for(g_in_flight[g_in_flight_oldest].last_job);
    ++g_waits;
    free_finished_chunks();
  }
  UNSTUCK_CHECK(g_free_count > 0);
  return g_free_chunks[--g_free_count];
}

void begin_chunk(uint64_t* base) {
  g_chunk_base = g_chunk_start = g_cursor = base;
  g_chunk_end = base + kChunkWords;
  g_chunk_last_job = 0;
}

// Moves on to a free chunk, the full one's records handed over.
void start_next_chunk() {
  UNSTUCK_CHECK(g_in_flight_count < kMaxChunks);
  g_in_flight[(g_in_flight_oldest + g_in_flight_count++) % kMaxChunks] = {g_chunk_base,
                                                                          g_chunk_last_job};
  begin_chunk(take_chunk());
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
  ++g_chunks_made;
  begin_chunk(new uint64_t[kChunkWords]);
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
  VG_(umsg)("argdist: %llu chunks of values aggregated%s (%u KB of them at most), "
            "waited for %llu (%llu ms in all)\n",
            static_cast<unsigned long long>(g_jobs_handed_over),
            g_non_temporal ? " on argdist's own thread" : " inline",
            g_chunks_made * kChunkWords * 8 / 1024,
            static_cast<unsigned long long>(g_waits),
            static_cast<unsigned long long>(background::waited_nanoseconds() / 1000000));
}

}  // namespace unstuck::argdist
