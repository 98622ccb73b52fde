/* Calls, returns and indirect calls: recursive Fibonacci and a table of
   function pointers.  Every return is an indirect jump for VEX, so this is
   the benchmark of the dispatcher's fast table (docs/replay-engine.md).
     calls [N]      fib(N) (default 20) and N*10000 indirect calls */
#include "guest_rt.h"

static uint64_t parse(const char* s) {
  uint64_t n = 0;
  while (*s >= '0' && *s <= '9') n = n * 10 + (uint64_t)(*s++ - '0');
  return n;
}

__attribute__((noinline)) static uint64_t fib(uint64_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static uint64_t op_add(uint64_t a) { return a + 0x9e37; }
__attribute__((noinline)) static uint64_t op_rot(uint64_t a) { return a << 7 | a >> 57; }
__attribute__((noinline)) static uint64_t op_mul(uint64_t a) { return a * 0x2545f491; }
__attribute__((noinline)) static uint64_t op_xor(uint64_t a) { return a ^ (a >> 13); }

static uint64_t (*const volatile kOps[4])(uint64_t) = {op_add, op_rot, op_mul,
                                                       op_xor};

int main(void) {
  uint64_t n = rt_argc() > 1 ? parse(rt_arg(1)) : 20;
  put("fib", fib(n));
  uint64_t h = CHECKSUM_SEED;
  for (uint64_t i = 0; i < n * 10000; ++i) h = kOps[(h >> 3) & 3](h);
  put("ops", h);
  return 0;
}
