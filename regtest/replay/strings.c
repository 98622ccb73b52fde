/* String instructions: rep movs/stos of every width, repe cmps, repne scas,
   lods, forwards and backwards (std), counts of zero included.  Each rep
   iteration is one instruction on the clock, so the counts check that. */
#include "guest_rt.h"

static unsigned char src[512], dst[512];

static void fill(unsigned char* p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; ++i) p[i] = (unsigned char)(seed + i * 7 + (i >> 3));
}

static uint64_t copies(void) {
  uint64_t h = CHECKSUM_SEED;
  static const size_t lengths[] = {0, 1, 2, 3, 7, 8, 15, 16, 33, 100, 255};
  for (unsigned k = 0; k < sizeof lengths / sizeof lengths[0]; ++k) {
    size_t n = lengths[k];
    fill(src, sizeof src, (unsigned)k);
    memset(dst, 0, sizeof dst);
    void *d = dst + 1, *s = src + 3;
    size_t c = n;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(c) : : "memory");
    h = mix(mix_bytes(h, dst, 300), (uint64_t)((unsigned char*)d - dst));
    d = dst; s = src; c = n;
    __asm__ volatile("rep movsw" : "+D"(d), "+S"(s), "+c"(c) : : "memory");
    h = mix_bytes(h, dst, 300);
    d = dst; s = src + 4; c = n;
    __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(c) : : "memory");
    h = mix_bytes(h, dst, 500);
    d = dst + 8; s = src; c = n / 2;
    __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(c) : : "memory");
    h = mix_bytes(h, dst, 500);
    /* backwards, overlapping (memmove's tail-first copy) */
    d = dst + 200; s = dst + 190; c = n / 3;
    __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(c)
                     : : "memory");
    h = mix_bytes(h, dst, 300);
  }
  return h;
}

static uint64_t stores(void) {
  uint64_t h = CHECKSUM_SEED;
  for (size_t n = 0; n < 70; n += 5) {
    memset(dst, 0x11, sizeof dst);
    void* d = dst + 2;
    size_t c = n;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(c) : "a"(0xab) : "memory");
    h = mix_bytes(h, dst, 100);
    d = dst + 3; c = n;
    __asm__ volatile("rep stosq" : "+D"(d), "+c"(c)
                     : "a"(0x0123456789abcdefULL) : "memory");
    h = mix_bytes(h, dst, 600 > sizeof dst ? sizeof dst : 600);
    d = dst + 400; c = n / 4;
    __asm__ volatile("std; rep stosl; cld" : "+D"(d), "+c"(c)
                     : "a"(0xfeedface) : "memory");
    h = mix_bytes(h, dst, sizeof dst);
  }
  return h;
}

static uint64_t compares_and_scans(void) {
  uint64_t h = CHECKSUM_SEED;
  fill(src, sizeof src, 5);
  for (size_t diff_at = 0; diff_at < 40; diff_at += 3) {
    memcpy(dst, src, sizeof dst);
    dst[diff_at] ^= 0x40;
    const void *a = src, *b = dst;
    size_t c = 64;
    uint64_t f;
    __asm__ volatile("cmp %%eax, %%eax; repe cmpsb; pushfq; popq %3"
                     : "+S"(a), "+D"(b), "+c"(c), "=r"(f)
                     : : "rax", "memory");
    h = mix(mix(mix(h, c), (uint64_t)((const unsigned char*)a - src)),
            f & 0x8d5);
    /* repne scasb: find a byte */
    const void* p = src;
    c = 300;
    __asm__ volatile("cmp %%eax, %%eax; repne scasb; pushfq; popq %2"
                     : "+D"(p), "+c"(c), "=r"(f)
                     : "a"(src[diff_at * 5]) : "memory");
    h = mix(mix(mix(h, c), (uint64_t)((const unsigned char*)p - src)),
            f & 0x8d5);
    /* repe scasq with a count running out */
    p = dst;
    c = diff_at / 8;
    __asm__ volatile("cmp %%eax, %%eax; repe scasq"
                     : "+D"(p), "+c"(c)
                     : "a"(*(const uint64_t*)dst) : "memory");
    h = mix(mix(h, c), (uint64_t)((const unsigned char*)p - dst));
  }
  return h;
}

static uint64_t loads(void) {
  uint64_t h = CHECKSUM_SEED;
  const void* s = src;
  uint64_t acc = 0, v;
  for (int i = 0; i < 40; ++i) {
    __asm__ volatile("lodsb; movzbq %%al, %0" : "=r"(v), "+S"(s) : : "rax");
    acc = acc * 31 + v;
    __asm__ volatile("lodsq" : "=a"(v), "+S"(s));
    acc ^= v;
  }
  s = src + 300;
  for (int i = 0; i < 10; ++i) {
    __asm__ volatile("std; lodsw; cld; movzwq %%ax, %0" : "=r"(v), "+S"(s)
                     : : "rax");
    acc = acc * 7 + v;
  }
  h = mix(mix(h, acc), (uint64_t)((const unsigned char*)s - src));
  /* plain movs/stos without rep */
  void *d = dst;
  s = src;
  __asm__ volatile("movsq; movsl; movsw; movsb; stosb" : "+D"(d), "+S"(s)
                   : "a"(0x5a) : "memory");
  h = mix_bytes(h, dst, 16);
  return h;
}

int main(void) {
  put("copies", copies());
  put("stores", stores());
  put("compares_and_scans", compares_and_scans());
  put("loads", loads());
  return 0;
}
