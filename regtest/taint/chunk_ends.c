/* Loads whose shadow runs past the end of a 64 KB chunk of the shadow map,
   and loads above 2^37, where the map's table index wraps.  The inline
   load path reads an access's elements before knowing whether they lie in
   one chunk; elements past a chunk's end hold an id that cannot exist, so
   such an access never looks uniform and the helper answers
   (tools/taint/label_ir.cc).  Each load's value, plus one, is stored and
   its labels printed: the union of the bytes loaded.
   "region" marks the 64 bytes on either side of a chunk boundary (byte 64
   is the boundary's); "after" marks only the 64 bytes after another one,
   so a load that starts before it starts on clean bytes. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <immintrin.h>

#include "taint_test.h"

#define CHUNK 65536ul

static uint64_t out;
static __m128i out_vector;

__attribute__((noinline)) static void load(const char* what, const unsigned char* p, int size) {
  uint64_t v = 0;
  switch (size) {
    case 2: v = *(volatile const uint16_t*)p; break;
    case 4: v = *(volatile const uint32_t*)p; break;
    case 8: v = *(volatile const uint64_t*)p; break;
  }
  v += 1;
  OPAQUE(v);
  out = v;
  show(what, &out, sizeof out);
}

__attribute__((noinline)) static void load_vector(const char* what, const unsigned char* p) {
  __m128i v = _mm_loadu_si128((const __m128i*)p);
  out_vector = _mm_add_epi8(v, _mm_set1_epi8(1));
  show(what, &out_vector, sizeof out_vector);
}

static unsigned char* map_at(unsigned long hint, unsigned long size) {
  void* p = mmap((void*)hint, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | (hint ? MAP_FIXED_NOREPLACE : 0), -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  return p;
}

int main(void) {
  unsigned char* raw = map_at(0, 5 * CHUNK);
  unsigned char* boundary = (unsigned char*)(((uintptr_t)raw + 2 * CHUNK) & ~(CHUNK - 1));
  unsigned char* second = boundary + CHUNK;
  memset(boundary - 64, 'a', 128);
  memset(second - 64, 'b', 128);
  UNSTUCK_TAINT_MARK(boundary - 64, 128, "region");
  UNSTUCK_TAINT_MARK(second, 64, "after");

  load("2 bytes across", boundary - 1, 2);
  load("4 bytes across", boundary - 3, 4);
  load("8 bytes across", boundary - 5, 8);
  load("8 bytes before", boundary - 8, 8);
  load("8 bytes after", boundary, 8);
  load_vector("16 bytes across", boundary - 9);
  load("clean, then 2 bytes", second - 1, 2);
  load("clean, then 1 of 8 bytes", second - 7, 8);
  load("clean, then 3 of 8 bytes", second - 5, 8);
  load_vector("clean, then 1 of 16 bytes", second - 15);

  /* Above 2^37: chunk 2^21 and beyond, which the table's index folds back
     onto chunk 0 and up. */
  unsigned char* high = map_at(0x4000000000ul, CHUNK);
  memset(high, 'c', 64);
  UNSTUCK_TAINT_MARK(high + 16, 16, "high");
  load("high, 8 bytes", high + 12, 8);
  load("high, clean", high + 40, 8);
  load_vector("high, 16 bytes", high + 8);
  return 0;
}
