/* Copies keep each byte's label: plain assignments, a byte loop, glibc's
   SIMD memcpy/memmove, struct copies; a wide load is the union of its
   bytes.  input: 64 bytes of copies.input (bytes i = 'a' + i % 26). */
#include <stdint.h>
#include <string.h>

#include "taint_test.h"

struct pair {
  char name[12];
  uint32_t size;
};

int main(int argc, char** argv) {
  (void)argc;
  static char input[64];
  read_input(argv[1], input, sizeof input);

  char bytes[64];
  for (int i = 0; i < 64; ++i) bytes[i] = input[i];  /* byte by byte */
  show("loop copy, byte 9", &bytes[9], 1);

  static char copy[64], moved[80];
  memcpy(copy, input, 64);                           /* SIMD memcpy */
  show("memcpy, byte 0", &copy[0], 1);
  show("memcpy, byte 37", &copy[37], 1);
  show("memcpy, bytes 40-47", &copy[40], 8);

  memcpy(moved + 3, input + 5, 50);                  /* unaligned, 50 bytes */
  show("memcpy 50, byte 3", &moved[3], 1);
  show("memcpy 50, byte 52", &moved[52], 1);
  memmove(moved + 10, moved + 3, 50);                /* overlapping */
  show("memmove, byte 10", &moved[10], 1);
  show("memmove, byte 59", &moved[59], 1);
  show("memmove, byte 9", &moved[9], 1);

  struct pair p, q;
  memcpy(&p, input + 20, sizeof p);
  q = p;                                             /* struct copy */
  show("struct copy, name[2]", &q.name[2], 1);
  show("struct copy, size", &q.size, 4);

  uint64_t word;
  memcpy(&word, input + 8, 8);                       /* one 8-byte load */
  OPAQUE(word);
  uint64_t again = word;
  show("8-byte load", &again, 8);

  if (copy[5] == 'f') puts("copy[5] is f");          /* branch on [5, 6) */
  if (word == 0) puts("never");                      /* branch on [8, 16) */
  if (q.size > 1) puts("size > 1");                  /* branch on [32, 36) */
  return 0;
}
