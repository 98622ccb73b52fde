/* --sink-fn: tainted arguments of named functions.  memcpy's size and
   source bytes, strlen's string, and a function of the program's own
   (unknown to the tool: every argument register is checked, and 64 bytes
   behind one that points to memory).  input: "\x05" "xyz" "ABCDEFGHIJKL". */
#include <string.h>

#include "taint_test.h"

__attribute__((noinline)) int consume(int value, const char* text) {
  return value + text[0];
}

int main(int argc, char** argv) {
  (void)argc;
  static char in[16];
  read_input(argv[1], in, sizeof in);
  static char dst[16];
  size_t n = (unsigned char)in[0];
  memcpy(dst, in + 8, n);                 /* size [0, 1), source [8, 13) */
  size_t length = strlen(in + 1);          /* the string [1, 16) */
  int r = consume(1, in + 4);              /* bytes behind arg 2: [4, 16) */
  printf("%zu %d\n", length, r);
  return 0;
}
