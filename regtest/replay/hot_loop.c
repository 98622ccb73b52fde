/* A CPU-bound loop, integer and scalar SSE, about 14 instructions per
   iteration: the replay engine's speed benchmark (docs/replay-engine.md).
     hot_loop [ITERATIONS]      (default 100000) */
#include "guest_rt.h"

static uint64_t parse(const char* s) {
  uint64_t n = 0;
  while (*s >= '0' && *s <= '9') n = n * 10 + (uint64_t)(*s++ - '0');
  return n;
}

int main(void) {
  uint64_t n = rt_argc() > 1 ? parse(rt_arg(1)) : 100000;
  uint64_t x = 1, y = 0;
  double s = 0.0;
  for (uint64_t i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    y ^= x >> 17;
    y = (y << 3) | (y >> 61);
    s = s * 0.999 + (double)(x >> 40);
  }
  uint64_t sb;
  memcpy(&sb, &s, 8);
  put("x", x);
  put("y", y);
  put("s", sb);
  return 0;
}
