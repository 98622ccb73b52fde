/* The client requests of <unstuck/taint.h>: mark, query, clear, and the
   assertions (two of which fail: "check" findings). */
#include <string.h>

#include "taint_test.h"

int main(void) {
  static char buf[32] = "0123456789abcdefghijklmnopqrstu";
  printf("mark: %lu\n", UNSTUCK_TAINT_MARK(buf + 4, 8, "packet"));
  show("buf[6..8)", buf + 6, 2);
  show("buf[0..16)", buf, 16);

  char small[5];
  unsigned long n = UNSTUCK_TAINT_QUERY(buf + 4, 8, small, sizeof small);
  printf("query into 5 bytes: length %lu, \"%s\"\n", n, small);
  show("the query's own buffer", small, sizeof small);

  printf("assert tainted buf[4]: %lu\n", UNSTUCK_TAINT_ASSERT_TAINTED(buf + 4, 1));
  printf("assert untainted buf[0..4): %lu\n", UNSTUCK_TAINT_ASSERT_UNTAINTED(buf, 4));
  printf("assert untainted buf[10..14): %lu\n", UNSTUCK_TAINT_ASSERT_UNTAINTED(buf + 10, 4));
  printf("assert tainted buf[20..24): %lu\n", UNSTUCK_TAINT_ASSERT_TAINTED(buf + 20, 4));

  UNSTUCK_TAINT_CLEAR(buf + 4, 4);
  show("after clearing buf[4..8)", buf + 4, 8);
  UNSTUCK_TAINT_MARK(buf + 20, 2, "packet");
  show("packet marked again at buf[20..22)", buf + 20, 2);

  if (buf[9] == '9') puts("buf[9] is 9");
  return 0;
}
