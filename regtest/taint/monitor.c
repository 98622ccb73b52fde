/* For the GDB monitor commands: a breakpoint in `examine` finds the input
   in memory and one of its bytes in rdi.  input: 8 bytes "ABCDEFGH". */
#include "taint_test.h"

static char input[8];

__attribute__((noinline)) int examine(int byte) { return byte * 2; }

int main(int argc, char** argv) {
  (void)argc;
  read_input(argv[1], input, sizeof input);
  return examine(input[3]) == 2 * 'D' ? 0 : 1;
}
