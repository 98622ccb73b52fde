/* Arithmetic, bit operations, floating point and SIMD: a result carries
   the union of its operands' labels.  input: 32 bytes, byte i = 7 i + 3. */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "taint_test.h"

int main(int argc, char** argv) {
  (void)argc;
  static uint8_t in[32];
  read_input(argv[1], in, sizeof in);

  int a = in[0] + in[1] * 3;
  show("a = in[0] + in[1] * 3", &a, sizeof a);
  unsigned b = (in[2] & 0x0f) | (unsigned)(in[3] << 4);
  show("b = in[2] & 15 | in[3] << 4", &b, sizeof b);
  uint32_t word;
  memcpy(&word, in + 4, 4);
  uint32_t c = word >> 8;
  show("c = in[4..8) >> 8", &c, sizeof c);
  uint64_t d = (uint64_t)in[8] * 1000 / (in[9] + 1u);
  show("d = in[8] * 1000 / (in[9] + 1)", &d, sizeof d);
  double f = in[12] / 3.0 + in[13];
  show("f = in[12] / 3.0 + in[13]", &f, sizeof f);
  float g = (float)in[14] * 2.5f;
  show("g = in[14] * 2.5f", &g, sizeof g);
  int q = 1000 / (in[28] | 1);
  show("q = 1000 / (in[28] | 1)", &q, sizeof q);
  int bits = __builtin_popcount(in[29]) + __builtin_clz(in[30] | 1u);
  show("popcount(in[29]) + clz(in[30] | 1)", &bits, sizeof bits);
  uint32_t swapped = __builtin_bswap32(word);
  show("bswap(in[4..8))", &swapped, sizeof swapped);

  /* SIMD: one label for the whole vector temporary. */
  __m128i v = _mm_loadu_si128((const __m128i*)(in + 16));
  v = _mm_add_epi8(v, _mm_set1_epi8(1));
  uint8_t out[16];
  _mm_storeu_si128((__m128i*)out, v);
  show("(in[16..32) + 1)[0]", &out[0], 1);

  if (a > 100) puts("a > 100");
  if (f > 40.0) puts("f > 40");
  if (b & 1) puts("b odd");
  return 0;
}
