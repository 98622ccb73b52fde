// Blocks and threads: one block written by the main thread and read by
// two workers (shared by three threads), one used by a single worker only,
// and one a worker allocates and the main thread frees.  check_sharing
// reads the threads lifetime.out gives each.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { kWords = 64 };

static long* g_shared;

static void* keep(void* p) {
  __asm__ volatile("" : "+r"(p) : : "memory");
  return p;
}

__attribute__((noinline)) static long* make_shared(void) {
  long* s = keep(malloc(kWords * sizeof(long)));
  for (int i = 0; i < kWords; ++i) s[i] = i;
  return s;
}

__attribute__((noinline)) static long private_work(void) {
  long* p = keep(malloc(16 * sizeof(long)));
  for (int i = 0; i < 16; ++i) p[i] = i;
  long sum = 0;
  for (int i = 0; i < 16; ++i) sum += ((long*)keep(p))[i];
  free(p);
  return sum;
}

__attribute__((noinline)) static void* handed_over(void) {
  long* h = keep(malloc(32));
  h[0] = 42;
  return h;
}

static void* worker(void* arg) {
  long sum = 0;
  for (int i = 0; i < kWords; ++i) sum += ((long*)keep(g_shared))[i];
  if (arg != NULL) {
    sum += private_work();
    return handed_over();
  }
  return (void*)sum;
}

int main(void) {
  g_shared = make_shared();
  pthread_t a, b;
  pthread_create(&a, NULL, worker, NULL);
  pthread_join(a, NULL);
  pthread_create(&b, NULL, worker, &b);
  void* from_b;
  pthread_join(b, &from_b);
  long h = ((long*)keep(from_b))[0];
  free(from_b);
  free(g_shared);
  printf("%ld\n", h);
  return 0;
}
