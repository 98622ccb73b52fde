/* Labels in memory start 16 bits wide and widen to 32 bits once the run's
   label sets outgrow 16-bit ids (tools/taint/label_map.h).  The .vgtest
   files run this program with a --narrow-label-limit low enough that the
   map widens
     - inside generated code (widen_helper: a running sum makes a new label
       set per byte, and the limit is met in the union helper), or
     - at a system call (widen_read: the second read labels more bytes than
       narrow ids are left),
   and never (widen_narrow: the default limit; widen_wide:
   --narrow-labels=no).  Every label must come out the same in all four.
   times_widen records the widening run and checks its findings' times. */
#include <string.h>

#include "taint_test.h"

#define FIRST 64
#define SECOND 4000

static unsigned char input[FIRST + SECOND];
static unsigned sums[FIRST];

/* sums[i] is computed from bytes [0, i + 1): one new label set per byte. */
static void running_sum(const unsigned char* bytes, size_t n, unsigned* out) {
  unsigned acc = 0;
  for (size_t i = 0; i < n; ++i) {
    acc += bytes[i];
    OPAQUE(acc);
    out[i] = acc;
  }
}

int main(int argc, char** argv) {
  (void)argc;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0 || read(fd, input, FIRST) != FIRST) {
    perror(argv[1]);
    return 1;
  }
  show("first read", input, 8);
  show("first read, one byte", input + 5, 1);
  running_sum(input, FIRST, sums);
  show("sum of 1 byte", &sums[0], 4);
  show("sum of 17 bytes", &sums[16], 4);
  show("sum of 64 bytes", &sums[63], 4);

  if (read(fd, input + FIRST, SECOND) != SECOND) {
    perror(argv[1]);
    return 1;
  }
  show("across both reads", input + FIRST - 4, 8);
  show("second read, one byte", input + 3000, 1);

  /* Labels made while narrow, copied and combined after the widening. */
  unsigned char copy[16];
  memcpy(copy, input + FIRST - 8, sizeof copy);
  show("copied across both reads", copy, sizeof copy);
  unsigned mixed = sums[10] + input[2000];
  OPAQUE(mixed);
  show("a narrow set and a wide byte", &mixed, 4);
  /* A branch on it, after the widening: times_widen replays the run to
     this finding's time. */
  if (mixed % 3 == 0) OPAQUE(mixed);
  running_sum(input + 100, FIRST, sums);
  show("sum of 64 bytes of the second read", &sums[63], 4);
  close(fd);
  return 0;
}
