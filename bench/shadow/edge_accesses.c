/* edge_accesses: loads and stores of every size from 1 to 32 bytes,
   misaligned, around 64 KB boundaries, where the shadow IR must leave the
   inline path (an access crossing two shadow chunks).  The workload for
   shadowbench --shadow-mode=check. */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

__attribute__((target("avx"))) static void copy_32_bytes(uint8_t *p) {
  __m256i v = _mm256_loadu_si256((const __m256i *)p);
  _mm256_storeu_si256((__m256i *)(p + 1), v);
}

static uint64_t touch(uint8_t *p, int d, int with_avx) {
  uint16_t h;
  uint32_t w;
  uint64_t q;
  memcpy(&h, p, 2);
  memcpy(&w, p, 4);
  memcpy(&q, p, 8);
  __m128i x = _mm_loadu_si128((const __m128i *)p);
  uint64_t seen = h + w + q + (uint64_t)_mm_cvtsi128_si64(x);
  q += d;
  memcpy(p, &q, 8);
  w += d;
  memcpy(p + 1, &w, 4);
  h += d;
  memcpy(p + 3, &h, 2);
  p[5] = (uint8_t)d;
  _mm_storeu_si128((__m128i *)(p + 2), x);
  if (with_avx) copy_32_bytes(p);
  return seen;
}

int main(void) {
  const size_t size = 1 << 20;
  uint8_t *base = mmap(0, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return 2;
  int with_avx = __builtin_cpu_supports("avx");
  volatile uint64_t sink = 0;
  for (int round = 0; round < 3; ++round)
    for (uintptr_t offset = 0x10000; offset < size - 0x10000; offset += 0x10000) {
      uint8_t *edge =
          (uint8_t *)(((uintptr_t)base + offset) & ~(uintptr_t)0xffff);
      for (int d = -40; d < 8; ++d)
        sink += touch(edge + d, d, with_avx && round == 2);
    }
  return (int)(sink & 0);
}
