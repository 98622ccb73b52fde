// Monitor commands from the program itself (VALGRIND_MONITOR_COMMAND, as
// a user would type them in gdb's `monitor ...` under --vgdb=yes): the
// object holding an address, live and then freed, and the live objects.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>

static void monitor(const char* format, void* address) {
  char command[64];
  snprintf(command, sizeof command, format, address);
  VALGRIND_MONITOR_COMMAND(command);
}

__attribute__((noinline)) static char* make_block(void) {
  char* p = malloc(100);
  memset(p, 1, 50);
  return p;
}

int main(void) {
  char* p = make_block();
  long* q = malloc(3 * sizeof(long));
  q[0] = p[10];
  monitor("object %p", p + 10);
  free(p);
  monitor("object %p", p + 10);
  monitor("objects 1", NULL);
  monitor("object %p", (char*)q - 4);  // just before q
  free(q);
  return 0;
}
