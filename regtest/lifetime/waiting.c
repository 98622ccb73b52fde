// A program for vgdb_monitor: it allocates, prints the address of one
// block, then waits on its standard input while a test talks to it
// through vgdb; at the end of its input it frees the block and exits.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) static char* make_block(void) {
  char* p = malloc(200);
  memset(p, 'w', 20);
  return p;
}

int main(void) {
  char* block = make_block();
  printf("%p\n", (void*)(block + 16));
  fflush(stdout);
  char c;
  while (read(0, &c, 1) > 0) {
  }
  free(block);
  return 0;
}
