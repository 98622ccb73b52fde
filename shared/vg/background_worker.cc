#include "shared/vg/background_worker.h"

#include "shared/rt/check.h"
#include "shared/vg/valgrind_api.h"

namespace unstuck::background {
namespace {

// System calls made directly: the worker may not call into Valgrind's
// core (see the header), and the clone needs its own assembly anyway.
long raw_syscall(long number, long a = 0, long b = 0, long c = 0, long d = 0) {
  long result;
  register long r10 asm("r10") = d;
  asm volatile("syscall"
               : "=a"(result)
               : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
               : "rcx", "r11", "memory");
  return result;
}

constexpr long kSysSchedYield = 24;
constexpr long kSysClone = 56;
constexpr long kSysRtSigprocmask = 14;
constexpr long kSysFutex = 202;
constexpr long kSysSchedGetaffinity = 204;
constexpr long kSysClockGettime = 228;
constexpr long kClockMonotonic = 1;
constexpr long kFutexWaitPrivate = 0 | 128;
constexpr long kFutexWakePrivate = 1 | 128;
constexpr long kSigSetmask = 2;
// A thread of this process sharing everything (pthread_create's flags,
// without the TLS and tid bookkeeping the worker does not need).
constexpr unsigned long kThreadFlags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000;
//                                     VM     FS      FILES   SIGHAND THREAD    SYSVSEM

// Starts a thread running fn(arg) on the stack below stack_top, which
// exits when fn returns; the thread id, or a negative errno.
long clone_thread(void* stack_top, void (*fn)(void*), void* arg) {
  long result;
  register long r10 asm("r10") = 0;
  register long r8 asm("r8") = 0;
  register void (*r12)(void*) asm("r12") = fn;  // callee-saved: the child
  register void* r13 asm("r13") = arg;           // finds them intact
  asm volatile(
      "syscall\n\t"
      "test %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      // The child, on its new stack: no frame above this one.
      "xor %%ebp, %%ebp\n\t"
      "mov %%r13, %%rdi\n\t"
      "call *%%r12\n\t"
      "mov $60, %%eax\n\t"  // exit: this thread only
      "xor %%edi, %%edi\n\t"
      "syscall\n\t"
      "hlt\n\t"
      "1:\n\t"
      : "=a"(result)
      : "a"(kSysClone), "D"(kThreadFlags), "S"(stack_top), "d"(0L), "r"(r10), "r"(r8),
        "r"(r12), "r"(r13)
      : "rcx", "r11", "memory");
  return result;
}

constexpr uint32_t kSlots = 1024;  // a power of two
constexpr size_t kStackBytes = 256 * 1024;
// The worker spins a while (about 1 ms) for more jobs before it sleeps:
// waking it is a system call each side, dearer than many jobs, and the
// program's thread makes the wake's call.  (With 0.1 ms, argdist's worker
// slept between most of python3's jobs, and the wakes were 2.5% of the
// program's thread.)  The thread that waits for a job spins less before
// it yields its CPU.
constexpr uint32_t kWorkerSpinsBeforeSleep = 32768;
constexpr uint32_t kSpinsBeforeYield = 4096;

// The guest thread writes `head`, the worker `tail` and both `sleeping`:
// each on its own cache line.
struct Queue {
  Job slots[kSlots];
  alignas(64) uint64_t head;  // jobs submitted
  alignas(64) uint64_t tail;  // jobs finished
  alignas(64) uint32_t sleeping;  // 1: the worker waits on it in a futex
};
Queue g_queue;
bool g_running = false;
char* g_stack = nullptr;

void cpu_relax() { asm volatile("pause" ::: "memory"); }

uint64_t load_acquire(const uint64_t* word) { return __atomic_load_n(word, __ATOMIC_ACQUIRE); }
void store_release(uint64_t* word, uint64_t value) {
  __atomic_store_n(word, value, __ATOMIC_RELEASE);
}

// Sleeps until submit() wakes the worker, unless a job came meanwhile.
// (The worker says it sleeps, then looks at the queue; submit() publishes
// a job, then looks whether the worker sleeps: one of them sees the other.)
void wait_for_jobs(uint64_t finished) {
  for (uint32_t i = 0; i < kWorkerSpinsBeforeSleep; ++i) {
    if (load_acquire(&g_queue.head) != finished) return;
    cpu_relax();
  }
  __atomic_store_n(&g_queue.sleeping, 1u, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&g_queue.head, __ATOMIC_SEQ_CST) == finished)
    raw_syscall(kSysFutex, reinterpret_cast<long>(&g_queue.sleeping), kFutexWaitPrivate, 1, 0);
  __atomic_store_n(&g_queue.sleeping, 0u, __ATOMIC_SEQ_CST);
}

void worker_main(void*) {
  // Signals are for Valgrind's threads (they are blocked in the thread
  // that cloned this one already; this makes it explicit).
  uint64_t all = ~0ULL;
  raw_syscall(kSysRtSigprocmask, kSigSetmask, reinterpret_cast<long>(&all), 0, sizeof all);
  for (;;) {
    const uint64_t finished = g_queue.tail;
    if (load_acquire(&g_queue.head) == finished) {
      wait_for_jobs(finished);
      continue;
    }
    const Job& job = g_queue.slots[finished % kSlots];
    job.run(job);
    store_release(&g_queue.tail, finished + 1);
  }
}

// (The exchange makes a futex wait that has not begun yet return at
// once; it is made only when needed, the line being the worker's.)
void wake_worker() {
  if (__atomic_load_n(&g_queue.sleeping, __ATOMIC_SEQ_CST) != 0 &&
      __atomic_exchange_n(&g_queue.sleeping, 0u, __ATOMIC_SEQ_CST) != 0)
    raw_syscall(kSysFutex, reinterpret_cast<long>(&g_queue.sleeping), kFutexWakePrivate, 1, 0);
}

// Each job is published (`head` moved, the worker woken if it sleeps)
// as soon as it is written.  Publishing costs the worker's cache a line,
// so it used to be done eight jobs at a time; but then a worker faster
// than the guest thread ran out of work between batches and went to
// sleep, and argdist's 16 KB jobs are worth a line each.  The worker's
// `tail` is read only when what is waited for looks unfinished.
uint64_t g_written = 0;    // jobs written into the queue (head <= it)
uint64_t g_tail_seen = 0;  // the worker's tail as last read (it only grows)

void publish() {
  if (g_queue.head == g_written) return;
  __atomic_store_n(&g_queue.head, g_written, __ATOMIC_SEQ_CST);
  wake_worker();
}

// Spins politely while the worker finishes what is waited for.
void pause_briefly(uint32_t* spins) {
  if (++*spins < kSpinsBeforeYield)
    cpu_relax();
  else
    raw_syscall(kSysSchedYield);
}

bool clone_worker() {
  g_queue.sleeping = 0;
  void* top = reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(g_stack + kStackBytes) & ~uintptr_t{15});
  return clone_thread(top, worker_main, nullptr) > 0;
}

int available_cpus() {
  uint64_t mask[16] = {};
  long bytes = raw_syscall(kSysSchedGetaffinity, 0, sizeof mask, reinterpret_cast<long>(mask));
  if (bytes <= 0) return 1;
  int cpus = 0;
  for (long i = 0; i < bytes / 8; ++i) cpus += __builtin_popcountll(mask[i]);
  return cpus;
}

// A forked child has no worker: the parent's jobs are finished before the
// fork, and the child starts a worker of its own.
void before_fork(ThreadId) { wait_until_idle(); }
void in_forked_child(ThreadId) {
  if (g_running) g_running = clone_worker();
}

}  // namespace

bool start() {
  UNSTUCK_CHECK(g_stack == nullptr);
  if (available_cpus() < 2) return false;
  g_stack = new char[kStackBytes];
  g_running = clone_worker();
  if (g_running) VG_(atfork)(before_fork, nullptr, in_forked_child);
  return g_running;
}

uint64_t submit(const Job& job) {
  if (!g_running) {
    job.run(job);
    g_queue.tail = g_tail_seen = ++g_written;
    return g_written;
  }
  if (g_written + 1 > kSlots) wait_for(g_written + 1 - kSlots);  // its slot is free
  g_queue.slots[g_written % kSlots] = job;
  ++g_written;
  publish();
  return g_written;
}

uint64_t g_waited_ns = 0;

uint64_t monotonic_ns() {
  long t[2] = {0, 0};  // struct timespec
  raw_syscall(kSysClockGettime, kClockMonotonic, reinterpret_cast<long>(t));
  return static_cast<uint64_t>(t[0]) * 1000000000ull + static_cast<uint64_t>(t[1]);
}

bool finished(uint64_t number) {
  return g_tail_seen >= number || (g_tail_seen = load_acquire(&g_queue.tail)) >= number;
}

bool wait_for(uint64_t number) {
  if (g_tail_seen >= number) return false;
  if ((g_tail_seen = load_acquire(&g_queue.tail)) >= number) return true;
  // (Timed only when the job is really unfinished: two system calls.)
  const uint64_t started = monotonic_ns();
  uint32_t spins = 0;
  while ((g_tail_seen = load_acquire(&g_queue.tail)) < number) pause_briefly(&spins);
  g_waited_ns += monotonic_ns() - started;
  return true;
}

uint64_t waited_nanoseconds() { return g_waited_ns; }

void wait_until_idle() { wait_for(g_written); }


}  // namespace unstuck::background
