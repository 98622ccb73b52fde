// A thread of the tool's own, beside the ones Valgrind runs, that takes
// jobs in order from the thread running guest code.
//
// Valgrind runs one guest thread at a time, so a tool's analysis costs
// the program's own time, on one core.  Work that depends only on the
// tool's own data (adding values to distributions, say) can run on
// another core instead: the guest thread hands it over as jobs and goes
// on.  The worker is a raw clone of the process (CLONE_THREAD), unknown
// to Valgrind's scheduler, so what it may do is narrow:
//   - it touches only memory the job's owner has handed over: no
//     VG_(malloc) or free, no Valgrind core function, no guest state;
//   - the guest thread must not read or change that memory until the
//     jobs that use it are done (wait_until_idle, or a counter the job
//     bumps with release semantics).
// Jobs run one at a time in the order submitted, so data one job leaves
// is what the next one sees, exactly as if they had run inline.
//
// Without a second CPU (sched_getaffinity), when the clone fails, or when
// the tool turns it off, every job runs inline at submit().  At fork, the
// child (which has no worker) starts its own; pending jobs are finished
// first, so neither process loses any.
#pragma once

#include <stdint.h>

namespace unstuck::background {

struct Job {
  void (*run)(const Job& job);
  uint64_t words[3];  // the job's own arguments
};

// Starts the worker (once, from the tool's post_clo_init); false when jobs
// will run inline instead.
bool start();

// Runs the job on the worker, or inline.  Waits while the queue is full.
void submit(const Job& job);

// Returns once every job submitted so far has finished.
void wait_until_idle();

// Spins politely while a condition the worker will make true is false
// (for callers waiting on a job's own completion counter).
void pause_briefly(uint32_t* spins);

// Acquire/release accesses to a counter shared with the worker.
inline uint64_t load_acquire(const uint64_t* word) {
  return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}
inline void store_release(uint64_t* word, uint64_t value) {
  __atomic_store_n(word, value, __ATOMIC_RELEASE);
}

}  // namespace unstuck::background
