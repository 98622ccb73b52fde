/* glibc's SIMD string functions on a tainted string: results carry the
   labels of the bytes the function looked at, copies keep each byte's.
   input: "secret-word\0" (12 bytes), read into the middle of a clean,
   zeroed buffer. */
#include <stdio.h>
#include <string.h>

#include "taint_test.h"

int main(int argc, char** argv) {
  (void)argc;
  static char buffer[256];
  char* s = buffer + 77;
  read_input(argv[1], s, 12);

  size_t n = strlen(s);
  OPAQUE(n);
  show("strlen(s)", &n, sizeof n);
  int same = strcmp(s, "secret-word");
  OPAQUE(same);
  show("strcmp(s, \"secret-word\")", &same, sizeof same);
  char* dash = memchr(s, '-', n);
  OPAQUE(dash);
  show("memchr(s, '-', n)", &dash, sizeof dash);

  static char copy[64];
  strcpy(copy + 1, s);
  show("strcpy: copy[1 + 0]", &copy[1], 1);
  show("strcpy: copy[1 + 7]", &copy[8], 1);
  show("strcpy: copy[1 + 11] (the NUL)", &copy[12], 1);
  static char printed[64];
  snprintf(printed, sizeof printed, "<%s>", s);
  show("snprintf: printed[1 + 3]", &printed[4], 1);

  if (same == 0) puts("the secret word");
  if (n > 8) puts("longer than 8");
  return 0;
}
