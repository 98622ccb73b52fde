/* Atomic read-modify-write: lock cmpxchg (succeeding and failing) of every
   width, cmpxchg8b and cmpxchg16b, lock xadd, xchg with memory, lock
   add/or/and/inc/dec/neg/not, lock bts/btr/btc, and the flags they leave.
   VEX turns these into IR CAS statements, whose addresses the replayer
   rebases. */
#include "guest_rt.h"

static uint64_t word __attribute__((aligned(16)));
static uint64_t pair[2] __attribute__((aligned(16)));
static uint8_t byte_cell;

static uint64_t compare_exchange(void) {
  uint64_t h = CHECKSUM_SEED;
  for (uint64_t i = 0; i < 20; ++i) {
    word = i * 0x0101010101010101ULL;
    uint64_t expected = (i & 1) ? word : word + 1, f;
    __asm__ volatile("lock cmpxchgq %3, %1; pushfq; popq %2"
                     : "+a"(expected), "+m"(word), "=r"(f)
                     : "r"(~i));
    h = mix(mix(mix(h, expected), word), f & 0x8d5);
    uint32_t e32 = (uint32_t)word;
    __asm__ volatile("lock cmpxchgl %2, %1" : "+a"(e32), "+m"(word)
                     : "r"((uint32_t)(i * 77)));
    h = mix(mix(h, e32), word);
    uint8_t e8 = (uint8_t)(i * 3);
    byte_cell = (uint8_t)(i * 3 + (i & 2));
    __asm__ volatile("lock cmpxchgb %2, %1" : "+a"(e8), "+m"(byte_cell)
                     : "q"((uint8_t)0xee));
    h = mix(mix(h, e8), byte_cell);
    /* cmpxchg8b on the low half */
    uint32_t lo = (uint32_t)word, hi = (uint32_t)(word >> 32);
    if (i & 2) lo ^= 1;
    uint8_t ok;
    __asm__ volatile("lock cmpxchg8b %0; setz %1"
                     : "+m"(word), "=q"(ok), "+a"(lo), "+d"(hi)
                     : "b"((uint32_t)i), "c"((uint32_t)(i << 4)));
    h = mix(mix(mix(mix(h, word), ok), lo), hi);
    /* cmpxchg16b */
    pair[0] = i;
    pair[1] = ~i;
    uint64_t lo64 = i, hi64 = (i & 4) ? ~i : i;
    __asm__ volatile("lock cmpxchg16b %0; setz %1"
                     : "+m"(pair), "=q"(ok), "+a"(lo64), "+d"(hi64)
                     : "b"(i * 5), "c"(i * 7));
    h = mix(mix(mix(mix(mix(h, pair[0]), pair[1]), ok), lo64), hi64);
  }
  return h;
}

static uint64_t fetch_and_op(void) {
  uint64_t h = CHECKSUM_SEED;
  word = 0x7ffffffffffffff0ULL;
  for (uint64_t i = 0; i < 20; ++i) {
    uint64_t v = i * 3, f;
    __asm__ volatile("lock xaddq %0, %1; pushfq; popq %2"
                     : "+r"(v), "+m"(word), "=r"(f));
    h = mix(mix(mix(h, v), word), f & 0x8d5);
    v = i;
    __asm__ volatile("xchgq %0, %1" : "+r"(v), "+m"(word));
    h = mix(mix(h, v), word);
    __asm__ volatile("lock addq %1, %0; lock orq $0x100, %0; lock andq %2, %0"
                     : "+m"(word) : "r"(i << 40), "r"(~(i << 3)));
    __asm__ volatile("lock incq %0; lock decl %0; lock negq %0; lock notq %0"
                     : "+m"(word));
    h = mix(h, word);
    uint8_t c1, c2, c3;
    __asm__ volatile("lock btsq %4, %0; setc %1; lock btrq %5, %0; setc %2;"
                     "lock btcq $17, %0; setc %3"
                     : "+m"(word), "=q"(c1), "=q"(c2), "=q"(c3)
                     : "r"(i * 3 % 64), "r"(i * 5 % 64));
    h = mix(mix(mix(mix(h, word), c1), c2), c3);
  }
  return h;
}

int main(void) {
  put("compare_exchange", compare_exchange());
  put("fetch_and_op", fetch_and_op());
  return 0;
}
