/* Code translated before the first label and run again after it.  While
   nothing is labelled, translations get no propagation pass, and the
   first label discards them all (tools/taint/shadow_state.h): use() runs
   1,000 times on clean bytes, then once on the input's, and that last
   call must carry byte 1 into `sum` and report its branch on byte 2.
   input: 8 bytes of late_input.input ("xyz....\n"). */
#include "taint_test.h"

static char buffer[8] = "abc";
static unsigned sum;

__attribute__((noinline)) static void use(const char* p) {
  unsigned v = (unsigned char)p[1];
  OPAQUE(v);
  sum += v + 1;
  if (p[2] == 'z') __asm__ volatile("nop" ::: "memory");  /* a real branch */
}

int main(int argc, char** argv) {
  (void)argc;
  for (int i = 0; i < 1000; ++i) use(buffer);
  show("before the input", &sum, sizeof sum);
  read_input(argv[1], buffer, sizeof buffer);
  use(buffer);
  show("after the input", &sum, sizeof sum);
  return 0;
}
