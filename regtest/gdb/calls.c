/* calls: the program of regtest/gdb's reverse-execution tests on real
   traces.  Line numbers are part of the expected outputs: keep them. */
#include <stdio.h>

int counter;                    /* watched by real_watch.vgtest */
static int history[8];

static int square(int x) {
  int result = x * x;
  return result;
}

static int add_square(int total, int i) {
  int s = square(i);
  history[i] = s;
  counter = counter + 1;
  return total + s;
}

int main(void) {
  int total = 0;
  for (int i = 1; i <= 5; i++)
    total = add_square(total, i);
  printf("total %d counter %d\n", total, counter);
  fflush(stdout);
  return 0;
}
