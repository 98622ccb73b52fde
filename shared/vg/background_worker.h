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
//     jobs that use it are done (wait_for, wait_until_idle).
// Jobs run one at a time in the order submitted, so data one job leaves
// is what the next one sees, exactly as if they had run inline.  Each job
// is published as soon as it is submitted; an idle worker spins about a
// millisecond before it sleeps, so that a steady stream of jobs costs the
// submitting thread no system calls.
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
// Returns the job's number: jobs are numbered from 1 as submitted.
uint64_t submit(const Job& job);

// Returns once job `number` and every one before it have finished (what
// they read may be written again, what they wrote read); false if they
// had already.
bool wait_for(uint64_t number);

// Whether job `number` and every one before it have finished (0: none
// submitted, so yes), without waiting.
bool finished(uint64_t number);

// Returns once every job submitted so far has finished.
void wait_until_idle();

// How long the thread that submits jobs has waited for them to finish.
uint64_t waited_nanoseconds();

}  // namespace unstuck::background
