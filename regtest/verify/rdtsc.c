/* rdtsc: reads the time-stamp counter (and cpuid): values the replay must
   take from the trace, since re-executing would read different ones. */
#include <cpuid.h>
#include <stdio.h>
#include <x86intrin.h>

int main(void) {
  unsigned long long t0 = __rdtsc();
  unsigned long long sum = 0;
  for (int i = 0; i < 100000; ++i) sum += (unsigned long long)i * i;
  unsigned int aux;
  unsigned long long t1 = __rdtscp(&aux);
  unsigned int a, b, c, d;
  __cpuid(0, a, b, c, d);
  /* The vendor string depends on the CPU Valgrind simulates: only check
     that cpuid answered. */
  printf("elapsed %s, sum %llu, cpuid %s\n", t1 > t0 ? "positive" : "not positive",
         sum, a > 0 && b != 0 ? "answered" : "did not answer");
  (void)c;
  (void)d;
  /* Branch on the counter's value, so a replay that reads its own counter
     takes another path. */
  return (t1 - t0) % 2 == 0 ? 0 : 0;
}
