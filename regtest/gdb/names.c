/* Thread names over time: main names itself with pthread_setname_np on
   itself (prctl PR_SET_NAME), then names its worker (glibc writes
   /proc/self/task/TID/comm), then the worker renames itself.  GDB sees
   each name from the time it was set, forwards and backwards. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t named, renamed, seen;

__attribute__((noinline)) void checkpoint(int n) { __asm__ volatile("" : : "r"(n)); }

static void* worker(void* arg) {
  (void)arg;
  pthread_barrier_wait(&named);
  pthread_setname_np(pthread_self(), "busy-worker");
  pthread_barrier_wait(&renamed);
  pthread_barrier_wait(&seen); /* alive at checkpoint 3 */
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_barrier_init(&named, NULL, 2);
  pthread_barrier_init(&renamed, NULL, 2);
  pthread_barrier_init(&seen, NULL, 2);
  pthread_create(&t, NULL, worker, NULL);
  checkpoint(1);
  pthread_setname_np(pthread_self(), "boss");
  pthread_setname_np(t, "worker-7");
  checkpoint(2);
  pthread_barrier_wait(&named);
  pthread_barrier_wait(&renamed);
  checkpoint(3);
  pthread_barrier_wait(&seen);
  pthread_join(t, NULL);
  char name[16];
  pthread_getname_np(pthread_self(), name, sizeof name);
  printf("%s\n", name);
  return 0;
}
