// The allocator's introspection functions read its chunk headers and free
// lists; under lifetime that is the allocator's business, not misuse (no
// report expected: introspection.vgtest compares stderr).
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  void* blocks[100];
  for (int i = 0; i < 100; i++) blocks[i] = malloc(24 + i);
  for (int i = 0; i < 100; i += 2) free(blocks[i]);
  size_t usable = malloc_usable_size(blocks[1]);
  struct mallinfo2 info = mallinfo2();
  malloc_trim(0);
  mallopt(M_TRIM_THRESHOLD, 1 << 20);
  printf("%d %d\n", usable >= 25, info.uordblks > 0);
  for (int i = 1; i < 100; i += 2) free(blocks[i]);
  return 0;
}
