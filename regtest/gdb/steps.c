/* steps: the program of real_differential.vgtest.  GDB single-steps the
   first 2,000 instructions of main, under Valgrind's gdbserver while the
   run is recorded, then in the replay of that recording.  Those
   instructions are varied: arithmetic and flags, shifts, multiplications
   and divisions, calls and returns, loops, libc's strlen and memmove
   (linked with -z now, so no dynamic-linker lookup takes the window), and
   a system call (getpid), about halfway. */
#include <string.h>
#include <unistd.h>

static volatile unsigned long sink;

static unsigned long mix(unsigned long a, unsigned long b) {
  unsigned long x = a * 0x9e3779b97f4a7c15ul + b;
  x ^= x >> 29;
  x = (x << 7) | (x >> 57);
  if ((long)x < 0) x = ~x;
  return x / (b | 1) + x % 7;
}

static int collatz_steps(unsigned n) {
  int steps = 0;
  while (n != 1) {
    n = (n & 1) ? 3 * n + 1 : n / 2;
    steps++;
  }
  return steps;
}

int main(void) {
  char text[64] = "recorded and replayed, step by step";
  unsigned long h = 0;
  for (int i = 0; i < 20; i++) h = mix(h, (unsigned long)i);
  h += strlen(text);
  h += (unsigned long)getpid() & 0;   /* a system call, not its result */
  memmove(text + 1, text, 20);
  for (unsigned n = 27; n < 40; n++) h += collatz_steps(n);
  sink = h;
  return (int)(h & 0);
}
