/* Table lookups: the index is tainted, the table is not.  Without
   --taint-addresses the looked-up value is clean; with it, it carries the
   index's labels (and so does an indirect call through a table of
   functions).  With --sink-addresses=yes the accesses themselves are
   findings.  input: 4 bytes "\x05\x0b\x02\x07". */
#include <stdint.h>

#include "taint_test.h"

static int squares[256];
static char slots[16];

static int zero(void) { return 0; }
static int one(void) { return 1; }
static int two(void) { return 2; }
static int three(void) { return 3; }
static int (*const handlers[4])(void) = {zero, one, two, three};

int main(int argc, char** argv) {
  (void)argc;
  for (int i = 0; i < 256; ++i) squares[i] = i * i;
  static uint8_t in[4];
  read_input(argv[1], in, sizeof in);

  int y = squares[in[0]];                 /* load through a tainted index */
  show("squares[in[0]]", &y, sizeof y);
  slots[in[1] % 16] = 'x';                /* store through a tainted index */
  int r = handlers[in[2] % 4]();          /* indirect call */
  show("handlers[in[2] % 4]()", &r, sizeof r);
  if (y == 25) puts("y is 25");           /* tainted only with addresses */
  if (slots[11] == 'x') puts("slot 11");  /* likewise */
  return r == 2 ? 0 : 1;
}
