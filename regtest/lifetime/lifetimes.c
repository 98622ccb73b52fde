// Objects whose lives are known: regtest/lifetime/lifetimes.vgtest checks
// what lifetime.out says about each (check_lifetimes).  Each kind of object
// comes from a function of its own, which names its allocation site.
//
// The times of the accesses in exact_times() are known to the instruction:
// a store, a loop of exactly 2 * kSpin instructions, another store, a load.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kSpin = 1000 };

// Keeps the compiler from removing stores, loads, or a malloc/free pair.
#define KEEP(p) __asm__ volatile("" : : "r"(p) : "memory")

char* volatile g_leak;

// 16384 bytes, of which only the first 100 are ever touched.
__attribute__((noinline)) static char* big_buffer(void) {
  char* b = malloc(16384);
  memset(b, 'x', 100);
  KEEP(b);
  return b;
}

// 100 blocks, each freed a few instructions after its allocation.
__attribute__((noinline)) static long short_lived(void) {
  long sum = 0;
  for (int i = 0; i < 100; ++i) {
    int* p = malloc(32);
    p[0] = i;
    KEEP(p);
    sum += p[0];
    free(p);
  }
  return sum;
}

// Written, never read.
__attribute__((noinline)) static void write_only(void) {
  char* w = malloc(64);
  memset(w, 'w', 64);  // not 0: GCC would make malloc + memset a calloc
  KEEP(w);
  free(w);
}

// Allocated and freed, never touched.
__attribute__((noinline)) static void untouched(void) {
  void* u = malloc(128);
  KEEP(u);
  free(u);
}

// Never freed.
__attribute__((noinline)) static void leaked(void) {
  g_leak = malloc(48);
  g_leak[0] = 1;
}

// A write at time T, a write at T + 2 * kSpin + 2, a read right after it,
// and the block's life spans a loop of 2 * kSpin + 1 instructions.
__attribute__((noinline)) static void exact_times(void) {
  char* e = malloc(40);
  __asm__ volatile(
      "movb $1, (%0)\n\t"
      "mov %1, %%ecx\n\t"
      "1: dec %%ecx\n\t"
      "jnz 1b\n\t"
      "movb $2, 39(%0)\n\t"
      "movzbl 39(%0), %%ecx\n\t"
      :
      : "r"(e), "i"(kSpin)
      : "ecx", "memory", "cc");
  free(e);
}

// Grown twice by realloc: three versions in one chain.
__attribute__((noinline)) static char* grown(void) {
  char* g = malloc(10);
  memset(g, 'a', 10);
  g = realloc(g, 1000);
  memset(g + 10, 'b', 990);
  g = realloc(g, 100000);
  KEEP(g);
  return g;
}

int main(void) {
  char* big = big_buffer();
  long sum = short_lived();
  write_only();
  untouched();
  leaked();
  exact_times();
  char* g = grown();
  printf("%ld %c %c\n", sum, big[99], g[500]);
  free(g);
  free(big);
  return 0;
}
