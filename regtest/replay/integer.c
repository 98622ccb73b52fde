/* Integer arithmetic and flags: add/adc/sub/sbb, shifts and rotates
   (including through carry and by variable counts), mul/imul/div/idiv,
   bsf/bsr, popcnt/lzcnt/tzcnt, setcc/cmovcc, and the flags word itself. */
#include "guest_rt.h"

#define BINOP(insn, a, b, out, fl)                                    \
  __asm__ volatile(insn " %2, %0; pushfq; popq %1"                    \
                   : "+r"(out), "=r"(fl)                              \
                   : "r"(b))

static const uint64_t kValues[] = {
    0,          1,          2,          0x7f,       0x80,
    0xff,       0x7fff,     0x8000,     0xffff,     0x7fffffff,
    0x80000000, 0xffffffff, 0x123456789abcdef0ULL,  0x8000000000000000ULL,
    0x7fffffffffffffffULL,  0xffffffffffffffffULL,  0xdeadbeefcafef00dULL,
};
#define N_VALUES (sizeof kValues / sizeof kValues[0])

static uint64_t add_sub_family(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i)
    for (unsigned j = 0; j < N_VALUES; ++j) {
      uint64_t a = kValues[i], b = kValues[j], r, f;
      r = a; BINOP("addq", a, b, r, f); h = mix(mix(h, r), f & 0x8d5);
      r = a; BINOP("subq", a, b, r, f); h = mix(mix(h, r), f & 0x8d5);
      r = a; BINOP("andq", a, b, r, f); h = mix(mix(h, r), f & 0x8c5);
      r = a; BINOP("xorq", a, b, r, f); h = mix(mix(h, r), f & 0x8c5);
      uint32_t r32 = (uint32_t)a;
      __asm__ volatile("addl %2, %0; pushfq; popq %1"
                       : "+r"(r32), "=r"(f) : "r"((uint32_t)b));
      h = mix(mix(h, r32), f & 0x8d5);
      uint8_t r8 = (uint8_t)a;
      __asm__ volatile("subb %2, %0; pushfq; popq %1"
                       : "+q"(r8), "=r"(f) : "q"((uint8_t)b));
      h = mix(mix(h, r8), f & 0x8d5);
      /* adc/sbb with both carry-ins */
      for (int c = 0; c < 2; ++c) {
        r = a;
        __asm__ volatile("bt $0, %3; adcq %2, %0; pushfq; popq %1"
                         : "+r"(r), "=r"(f) : "r"(b), "r"((uint64_t)c));
        h = mix(mix(h, r), f & 0x8d5);
        r = a;
        __asm__ volatile("bt $0, %3; sbbq %2, %0; pushfq; popq %1"
                         : "+r"(r), "=r"(f) : "r"(b), "r"((uint64_t)c));
        h = mix(mix(h, r), f & 0x8d5);
      }
    }
  return h;
}

static uint64_t shifts_and_rotates(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i)
    for (uint8_t n = 0; n < 70; n += 3) {
      uint64_t a = kValues[i], r, f;
#define SHIFT(insn)                                                  \
  r = a;                                                             \
  __asm__ volatile(insn " %%cl, %0; pushfq; popq %1"                 \
                   : "+r"(r), "=r"(f) : "c"(n));                     \
  h = mix(mix(h, r), n == 0 || (n & 63) == 0 ? 0 : (f & 1))
      SHIFT("shlq"); SHIFT("shrq"); SHIFT("sarq");
      SHIFT("rolq"); SHIFT("rorq");
      uint32_t r32 = (uint32_t)a;
      __asm__ volatile("shll %%cl, %0" : "+r"(r32) : "c"(n));
      h = mix(h, r32);
      uint16_t r16 = (uint16_t)a;
      __asm__ volatile("rolw %%cl, %0" : "+r"(r16) : "c"(n));
      h = mix(h, r16);
      /* rotate through carry, carry set first */
      r = a;
      __asm__ volatile("stc; rclq %%cl, %0" : "+r"(r) : "c"(n) : "cc");
      h = mix(h, r);
      r = a;
      __asm__ volatile("stc; rcrq %%cl, %0" : "+r"(r) : "c"(n) : "cc");
      h = mix(h, r);
      /* double shifts */
      r = a;
      __asm__ volatile("shldq %%cl, %2, %0" : "+r"(r) : "c"(n), "r"(~a));
      h = mix(h, r);
      r = a;
      __asm__ volatile("shrdq %%cl, %2, %0" : "+r"(r) : "c"(n), "r"(a * 3));
      h = mix(h, r);
    }
  return h;
}

static uint64_t multiply_divide(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i)
    for (unsigned j = 0; j < N_VALUES; ++j) {
      uint64_t a = kValues[i], b = kValues[j], lo, hi, f;
      __asm__ volatile("mulq %3; pushfq; popq %2"
                       : "=a"(lo), "=d"(hi), "=r"(f) : "r"(b), "a"(a));
      h = mix(mix(mix(h, lo), hi), f & 0x801);
      __asm__ volatile("imulq %3; pushfq; popq %2"
                       : "=a"(lo), "=d"(hi), "=r"(f) : "r"(b), "a"(a));
      h = mix(mix(mix(h, lo), hi), f & 0x801);
      lo = a;
      __asm__ volatile("imulq %2, %0; pushfq; popq %1"
                       : "+r"(lo), "=r"(f) : "r"(b));
      h = mix(mix(h, lo), f & 0x801);
      uint32_t l32, h32;
      __asm__ volatile("mull %3" : "=a"(l32), "=d"(h32) : "a"((uint32_t)a),
                       "r"((uint32_t)b));
      h = mix(mix(h, l32), h32);
      if (b != 0) {
        uint64_t q, r;
        /* unsigned 128/64 with a high word below the divisor */
        uint64_t high = a % b;
        __asm__ volatile("divq %4" : "=a"(q), "=d"(r) : "a"(a * 7), "d"(high),
                         "r"(b));
        h = mix(mix(h, q), r);
        int64_t sa = (int64_t)a, sb = (int64_t)b;
        if (!(sa == INT64_MIN && sb == -1)) {
          __asm__ volatile("cqto; idivq %2" : "=a"(q), "=d"(r) : "r"(sb),
                           "a"(sa));
          h = mix(mix(h, q), r);
        }
        uint32_t q32, r32;
        if ((uint32_t)b != 0) {
          __asm__ volatile("divl %4" : "=a"(q32), "=d"(r32)
                           : "a"((uint32_t)a), "d"(0), "r"((uint32_t)b));
          h = mix(mix(h, q32), r32);
        }
      }
    }
  return h;
}

static uint64_t bit_scans(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i) {
    uint64_t a = kValues[i], r, f;
    if (a != 0) {
      __asm__ volatile("bsfq %1, %0" : "=r"(r) : "r"(a));
      h = mix(h, r);
      __asm__ volatile("bsrq %1, %0" : "=r"(r) : "r"(a));
      h = mix(h, r);
    }
    __asm__ volatile("popcntq %2, %0; pushfq; popq %1" : "=r"(r), "=r"(f)
                     : "r"(a));
    h = mix(mix(h, r), f & 0x8d5);
    __asm__ volatile("lzcntq %2, %0; pushfq; popq %1" : "=r"(r), "=r"(f)
                     : "r"(a));
    h = mix(mix(h, r), f & 0x41);
    __asm__ volatile("tzcntq %2, %0; pushfq; popq %1" : "=r"(r), "=r"(f)
                     : "r"(a));
    h = mix(mix(h, r), f & 0x41);
    uint32_t r32;
    __asm__ volatile("lzcntl %1, %0" : "=r"(r32) : "r"((uint32_t)a));
    h = mix(h, r32);
    /* bt family */
    for (uint64_t bit = 0; bit < 64; bit += 9) {
      r = a;
      __asm__ volatile("btcq %2, %0; pushfq; popq %1" : "+r"(r), "=r"(f)
                       : "r"(bit));
      h = mix(mix(h, r), f & 1);
      r = a;
      __asm__ volatile("btsq %2, %0; setc %b1" : "+r"(r), "=q"(f) : "r"(bit));
      h = mix(mix(h, r), f & 1);
    }
  }
  return h;
}

static uint64_t conditions(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i)
    for (unsigned j = 0; j < N_VALUES; ++j) {
      uint64_t a = kValues[i], b = kValues[j];
      uint8_t s[8];
      __asm__ volatile(
          "cmpq %9, %8\n"
          "seta %0\n setb %1\n setg %2\n setl %3\n"
          "sete %4\n sets %5\n seto %6\n setp %7\n"
          : "=m"(s[0]), "=m"(s[1]), "=m"(s[2]), "=m"(s[3]), "=m"(s[4]),
            "=m"(s[5]), "=m"(s[6]), "=m"(s[7])
          : "r"(a), "r"(b));
      h = mix_bytes(h, s, 8);
      uint64_t r = a;
      __asm__ volatile("cmpq %2, %1; cmovgq %2, %0" : "+r"(r) : "r"(a),
                       "r"(b));
      h = mix(h, r);
      uint64_t f;
      __asm__ volatile("cmpq %2, %1; lahf; movzbl %%ah, %k0"
                       : "=r"(f) : "r"(a), "r"(b) : "rax");
      h = mix(h, f & 0xd5);
    }
  return h;
}

static uint64_t misc(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i) {
    uint64_t a = kValues[i], r;
    __asm__ volatile("bswapq %0" : "=r"(r) : "0"(a));
    h = mix(h, r);
    __asm__ volatile("negq %0" : "=r"(r) : "0"(a));
    h = mix(h, r);
    int64_t sx;
    __asm__ volatile("movsbq %b1, %0" : "=r"(sx) : "q"(a));
    h = mix(h, (uint64_t)sx);
    __asm__ volatile("movswq %w1, %0" : "=r"(sx) : "r"(a));
    h = mix(h, (uint64_t)sx);
    __asm__ volatile("movslq %k1, %0" : "=r"(sx) : "r"(a));
    h = mix(h, (uint64_t)sx);
    uint64_t x = a, y = ~a;
    __asm__ volatile("xchgq %0, %1" : "+r"(x), "+r"(y));
    h = mix(mix(h, x), y);
    __asm__ volatile("leaq 0x10(%1,%1,4), %0" : "=r"(r) : "r"(a));
    h = mix(h, r);
  }
  return h;
}

int main(void) {
  put("add_sub_family", add_sub_family());
  put("shifts_and_rotates", shifts_and_rotates());
  put("multiply_divide", multiply_divide());
  put("bit_scans", bit_scans());
  put("conditions", conditions());
  put("misc", misc());
  return 0;
}
