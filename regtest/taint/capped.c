/* --max-findings: one branch on each of 64 input bytes, three times over.
   Each byte is its own label set, so the site makes 64 findings a pass;
   with --max-findings=10 the first ten are kept and keep counting (3x
   each) after the table is full, and the other 54 x 3 occurrences are
   counted as dropped. */
#include "taint_test.h"

static volatile int matches;

int main(int argc, char** argv) {
  unsigned char buf[64];
  read_input(argc > 1 ? argv[1] : "capped.input", buf, sizeof buf);
  for (int pass = 0; pass < 3; ++pass)
    for (int i = 0; i < 64; ++i)
      if (buf[i] == 'x') matches++;  /* the sink: a branch on buf[i] */
  printf("matches: %d\n", matches);
  return 0;
}
