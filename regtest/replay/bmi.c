/* BMI1 and BMI2: andn, bextr, blsi, blsmsk, blsr, tzcnt, bzhi, pdep, pext,
   shlx/shrx/sarx, rorx, mulx, with the flags they define. */
#include "guest_rt.h"

static const uint64_t kValues[] = {
    0, 1, 0x80, 0xff00ff00ff00ff00ULL, 0x123456789abcdef0ULL,
    0x8000000000000000ULL, 0xffffffffffffffffULL, 0x00000000fffff000ULL,
    0x5555aaaa3333ccccULL,
};
#define N_VALUES (sizeof kValues / sizeof kValues[0])

/* Flags each instruction defines (the others are undefined and differ
   between CPUs and VEX). */
#define OF_SF_ZF_CF 0x8c1
#define OF_ZF_CF 0x841
#define ZF_CF 0x41

#define OP3(insn, a, b, defined)                                        \
  ({                                                                    \
    uint64_t r_, f_;                                                    \
    __asm__ volatile(insn " %3, %2, %0; pushfq; popq %1"                \
                     : "=&r"(r_), "=r"(f_) : "r"(a), "r"(b));           \
    h = mix(mix(h, r_), f_ & (defined));                               \
  })

#define OP2(insn, a, defined)                                           \
  ({                                                                    \
    uint64_t r_, f_;                                                    \
    __asm__ volatile(insn " %2, %0; pushfq; popq %1"                    \
                     : "=&r"(r_), "=r"(f_) : "r"(a));                   \
    h = mix(mix(h, r_), f_ & (defined));                               \
  })

static uint64_t bmi1(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i)
    for (unsigned j = 0; j < N_VALUES; ++j) {
      uint64_t a = kValues[i], b = kValues[j];
      OP3("andnq", b, a, OF_SF_ZF_CF);
      /* bextr: start in bits 7:0, length in 15:8 of the second source */
      uint64_t control = (b & 0x3f) | ((a & 0x7f) << 8);
      OP3("bextrq", control, a, OF_ZF_CF);
    }
  for (unsigned i = 0; i < N_VALUES; ++i) {
    uint64_t a = kValues[i];
    OP2("blsiq", a, OF_SF_ZF_CF);
    OP2("blsmskq", a, OF_SF_ZF_CF);
    OP2("blsrq", a, OF_SF_ZF_CF);
    OP2("tzcntq", a, ZF_CF);
    uint32_t r32;
    __asm__ volatile("blsrl %1, %0" : "=r"(r32) : "r"((uint32_t)a));
    h = mix(h, r32);
  }
  return h;
}

static uint64_t bmi2(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i)
    for (unsigned j = 0; j < N_VALUES; ++j) {
      uint64_t a = kValues[i], b = kValues[j], r;
      __asm__ volatile("pdep %2, %1, %0" : "=r"(r) : "r"(a), "r"(b));
      h = mix(h, r);
      __asm__ volatile("pext %2, %1, %0" : "=r"(r) : "r"(a), "r"(b));
      h = mix(h, r);
      uint64_t n = b & 0x7f;
      OP3("bzhiq", n, a, OF_SF_ZF_CF);
      __asm__ volatile("shlxq %2, %1, %0" : "=r"(r) : "r"(a), "r"(b));
      h = mix(h, r);
      __asm__ volatile("shrxq %2, %1, %0" : "=r"(r) : "r"(a), "r"(b));
      h = mix(h, r);
      __asm__ volatile("sarxq %2, %1, %0" : "=r"(r) : "r"(a), "r"(b));
      h = mix(h, r);
      uint64_t lo, hi;
      __asm__ volatile("mulxq %3, %0, %1" : "=r"(lo), "=r"(hi) : "d"(a),
                       "r"(b));
      h = mix(mix(h, lo), hi);
      uint32_t r32;
      __asm__ volatile("pdepl %2, %1, %0" : "=r"(r32) : "r"((uint32_t)a),
                       "r"((uint32_t)b));
      h = mix(h, r32);
    }
  for (unsigned i = 0; i < N_VALUES; ++i) {
    uint64_t r;
    __asm__ volatile("rorxq $13, %1, %0" : "=r"(r) : "r"(kValues[i]));
    h = mix(h, r);
    uint32_t r32;
    __asm__ volatile("rorxl $31, %1, %0" : "=r"(r32) : "r"((uint32_t)kValues[i]));
    h = mix(h, r32);
  }
  return h;
}

int main(void) {
  put("bmi1", bmi1());
  put("bmi2", bmi2());
  return 0;
}
