/* The non-deterministic instructions the replayer takes from the trace:
   cpuid, rdtsc, rdtscp, rdrand, rdseed.  Their values differ from run to
   run (and cpuid's between VEX's emulated CPU and this one), so the program
   prints only what holds everywhere, and never branches on a value: the
   instruction count must not depend on them either. */
#include "guest_rt.h"

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                   : "a"(leaf), "c"(sub));
}

static uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (uint64_t)hi << 32 | lo;
}

int main(void) {
  uint32_t r[4];
  cpuid(0, 0, r);
  put("max_leaf_at_least_7", r[0] >= 7);
  cpuid(1, 0, r);
  put("sse2_sse3_ssse3_sse41_sse42",
      ((r[3] >> 26) & 1) & (r[2] & 1) & ((r[2] >> 9) & 1) & ((r[2] >> 19) & 1) &
          ((r[2] >> 20) & 1));
  put("cx16_popcnt_avx", ((r[2] >> 13) & 1) & ((r[2] >> 23) & 1) &
                             ((r[2] >> 28) & 1));
  cpuid(7, 0, r);
  put("avx2_bmi1_bmi2", ((r[1] >> 5) & 1) & ((r[1] >> 3) & 1) & ((r[1] >> 8) & 1));

  uint64_t t1 = rdtsc();
  uint64_t t2 = rdtsc();
  uint32_t lo, hi, aux;
  __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
  uint64_t t3 = (uint64_t)hi << 32 | lo;
  put("rdtsc_rdtscp_monotonic", (t2 >= t1) & (t3 >= t2));

  uint64_t value;
  uint8_t ok;
  __asm__ volatile("rdrand %0; setc %1" : "=r"(value), "=q"(ok));
  put("rdrand_ran", 1);
  __asm__ volatile("rdseed %0; setc %1" : "=r"(value), "=q"(ok));
  put("rdseed_ran", 1);
  return 0;
}
