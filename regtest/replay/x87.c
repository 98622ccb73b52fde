/* x87: loads and stores of every format, arithmetic, square root,
   transcendental functions, comparisons, fxam, rounding control, and the
   environment/state save and restore instructions (VEX runs these through
   dirty helpers that access guest memory).
   VEX computes x87 arithmetic in double precision where the CPU uses 80
   bits, so inexact results are printed with their last mantissa bits
   masked; exact results are printed whole. */
#include "guest_rt.h"

static uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return u;
}

/* An inexact result: ignore the last 8 of the 52 mantissa bits. */
static uint64_t approx(double d) { return bits(d) & ~(uint64_t)0xff; }

static const double kValues[] = {0.0, -0.0, 1.0, -2.5, 3.0, 0.5, 1e10, -7.25,
                                 0.1, 123456.75};
#define N_VALUES (sizeof kValues / sizeof kValues[0])

static uint64_t arithmetic(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i)
    for (unsigned j = 0; j < N_VALUES; ++j) {
      double a = kValues[i], b = kValues[j], r;
      __asm__("fldl %1; fldl %2; faddp; fstpl %0" : "=m"(r) : "m"(a), "m"(b));
      h = mix(h, approx(r));
      __asm__("fldl %1; fldl %2; fsubrp; fstpl %0" : "=m"(r) : "m"(a), "m"(b));
      h = mix(h, approx(r));
      __asm__("fldl %1; fmull %2; fstpl %0" : "=m"(r) : "m"(a), "m"(b));
      h = mix(h, approx(r));
      if (b != 0) {
        __asm__("fldl %1; fdivl %2; fstpl %0" : "=m"(r) : "m"(a), "m"(b));
        h = mix(h, approx(r));
        __asm__("fldl %2; fldl %1; fprem; fstp %%st(1); fstpl %0"
                : "=m"(r) : "m"(a), "m"(b));
        h = mix(h, approx(r));
      }
    }
  return h;
}

static uint64_t exact_results(void) {
  uint64_t h = CHECKSUM_SEED;
  double r, two = 2.25, nine = 9.0;
  __asm__("fldl %1; fsqrt; fstpl %0" : "=m"(r) : "m"(two));
  h = mix(h, bits(r)); /* 1.5 */
  __asm__("fldl %1; fsqrt; fstpl %0" : "=m"(r) : "m"(nine));
  h = mix(h, bits(r));
  __asm__("fld1; fldz; faddp; fchs; fabs; fstpl %0" : "=m"(r));
  h = mix(h, bits(r));
  __asm__("fldpi; fstpl %0" : "=m"(r));
  h = mix(h, bits(r));
  __asm__("fldl2e; fstpl %0" : "=m"(r));
  h = mix(h, approx(r));
  int32_t i32 = -123456;
  int64_t i64 = 1234567890123LL; /* VEX holds x87 values as doubles */
  __asm__("fildl %1; fstpl %0" : "=m"(r) : "m"(i32));
  h = mix(h, bits(r));
  __asm__("fildll %1; fistpll %0" : "=m"(i64) : "m"(i64));
  h = mix(h, (uint64_t)i64);
  float f;
  __asm__("fldl %1; fstps %0" : "=m"(f) : "m"(two));
  uint32_t fb;
  memcpy(&fb, &f, 4);
  h = mix(h, fb);
  return h;
}

static uint64_t transcendental(void) {
  uint64_t h = CHECKSUM_SEED;
  static const double args[] = {0.0, 0.5, 1.0, -1.25, 3.0, 100.0};
  for (unsigned i = 0; i < sizeof args / sizeof args[0]; ++i) {
    double x = args[i], s, c, t, l, e;
    __asm__("fldl %1; fsin; fstpl %0" : "=m"(s) : "m"(x));
    __asm__("fldl %1; fcos; fstpl %0" : "=m"(c) : "m"(x));
    __asm__("fldl %1; fptan; fstp %%st(0); fstpl %0" : "=m"(t) : "m"(x));
    double ax = x < 0 ? -x : x;
    ax += 1.0;
    __asm__("fld1; fldl %1; fyl2x; fstpl %0" : "=m"(l) : "m"(ax));
    double frac = x - (double)(long)x;
    __asm__("fldl %1; f2xm1; fstpl %0" : "=m"(e) : "m"(frac));
    h = mix(mix(mix(mix(mix(h, approx(s)), approx(c)), approx(t)), approx(l)),
            approx(e));
  }
  return h;
}

/* C3 C2 C1 C0 after fxam, for each class of value and an empty register. */
static uint64_t classes(void) {
  uint64_t h = CHECKSUM_SEED;
  static const uint64_t patterns[] = {
      0x0000000000000000ULL, 0x8000000000000000ULL, /* +0, -0 */
      0x3ff0000000000000ULL, 0xbff0000000000000ULL, /* +1, -1 */
      0x7ff0000000000000ULL, 0xfff0000000000000ULL, /* +inf, -inf */
      0x7ff8000000000000ULL,                        /* NaN */
  };
  for (unsigned i = 0; i < sizeof patterns / sizeof patterns[0]; ++i) {
    uint16_t sw;
    __asm__("fldl %1; fxam; fnstsw %0; fstp %%st(0)"
            : "=m"(sw) : "m"(patterns[i]));
    h = mix(h, sw & 0x4700);
  }
  uint16_t sw;
  __asm__("fxam; fnstsw %0" : "=m"(sw)); /* the stack is empty here */
  h = mix(h, sw & 0x4500); /* empty: C3, C0; C1 is the (unknown) sign */
  return h;
}

static uint64_t comparisons(void) {
  uint64_t h = CHECKSUM_SEED;
  for (unsigned i = 0; i < N_VALUES; ++i)
    for (unsigned j = 0; j < N_VALUES; ++j) {
      double a = kValues[i], b = kValues[j];
      uint16_t sw;
      __asm__("fldl %2; fldl %1; fcompp; fnstsw %0"
              : "=m"(sw) : "m"(a), "m"(b));
      h = mix(h, sw & 0x4500);
      uint64_t f;
      __asm__("fldl %2; fldl %1; fucomip %%st(1), %%st; fstp %%st(0);"
              "pushfq; popq %0"
              : "=r"(f) : "m"(a), "m"(b));
      h = mix(h, f & 0x45);
    }
  return h;
}

/* fistp under each rounding mode, then frndint. */
static uint64_t rounding(void) {
  uint64_t h = CHECKSUM_SEED;
  static const double args[] = {2.5, -2.5, 3.5, -0.75, 1.25};
  for (uint16_t mode = 0; mode < 4; ++mode) {
    uint16_t cw = (uint16_t)(0x037f | (mode << 10)), saved;
    __asm__ volatile("fnstcw %0; fldcw %1" : "=m"(saved) : "m"(cw));
    for (unsigned i = 0; i < sizeof args / sizeof args[0]; ++i) {
      int64_t n;
      double r;
      __asm__ volatile("fldl %1; fistpll %0" : "=m"(n) : "m"(args[i]));
      __asm__ volatile("fldl %1; frndint; fstpl %0" : "=m"(r) : "m"(args[i]));
      h = mix(mix(h, (uint64_t)n), bits(r));
    }
    __asm__ volatile("fldcw %0" : : "m"(saved));
  }
  return h;
}

/* The save/restore family: values must come back through memory. */
static uint64_t state_save_restore(void) {
  uint64_t h = CHECKSUM_SEED;
  double one = 1.5, two = -3.0, back1, back2;
  unsigned char env[28], area[108], ext[10];
  __asm__ volatile(
      "fldl %2; fldl %3; fnstenv %4; fldenv %4;"
      "fstpl %0; fstpl %1"
      : "=m"(back1), "=m"(back2), "+m"(one), "+m"(two), "=m"(env));
  h = mix(mix(h, bits(back1)), bits(back2));
  h = mix(h, *(uint16_t*)env);              /* control word */
  h = mix(h, *(uint16_t*)(env + 4) & 0x3800); /* TOP */
  __asm__ volatile(
      "fldl %2; fldl %3; fnsave %4; fld1; frstor %4;"
      "fstpl %0; fstpl %1"
      : "=m"(back1), "=m"(back2), "+m"(one), "+m"(two), "=m"(area));
  h = mix(mix(h, bits(back1)), bits(back2));
  __asm__ volatile("fldl %1; fstpt %0" : "=m"(ext) : "m"(two));
  h = mix_bytes(h, ext, 10);
  __asm__ volatile("fldt %1; fstpl %0" : "=m"(back1) : "m"(ext));
  h = mix(h, bits(back1));
  static unsigned char fx[512] __attribute__((aligned(64)));
  __asm__ volatile("fldl %1; fxsave %0; fstp %%st(0)" : "=m"(fx) : "m"(one));
  h = mix_bytes(h, fx + 32, 10); /* ST0 as 80 bits */
  fx[32 + 7] ^= 0x40;            /* change the mantissa; load it back */
  __asm__ volatile("fxrstor %1; fstpl %0" : "=m"(back1) : "m"(fx) : "memory");
  h = mix(h, bits(back1));
  return h;
}

int main(void) {
  put("arithmetic", arithmetic());
  put("exact_results", exact_results());
  put("transcendental", transcendental());
  put("classes", classes());
  put("comparisons", comparisons());
  put("rounding", rounding());
  put("state_save_restore", state_save_restore());
  return 0;
}
