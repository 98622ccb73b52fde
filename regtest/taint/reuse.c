/* The shadow memory reuses what it frees: pages of labels that stores of
   untainted data removed go back to the kernel when the tool compacts
   (after a system call, once 16 MB or more of it is in use), and chunks of
   a mapping that went away come back for the next one.  (The tool's
   compactions are checked by hand with a message in trim_memory_labels:
   the fill of the second mapping makes one that frees the first's
   cleared pages.)  Labels must come
   out exact through all of it: nothing left behind, nothing lost. */
#include <string.h>
#include <sys/mman.h>

#include "taint_test.h"

#define INPUT_BYTES 4096
#define CHUNK 65536
#define BIG (24u << 20) /* 96 MB of shadow: compaction is due */

static char* map_fresh(void) {
  char* p = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  return p;
}

/* Reads `n` bytes of the input from `offset` to `p`. */
static void read_at(int fd, char* p, size_t n, off_t offset) {
  if (pread(fd, p, n, offset) != (ssize_t)n) {
    perror("pread");
    exit(1);
  }
}

/* Every 4 KB of [p, p + BIG) gets the input's bytes [0, 4096). */
static void fill(int fd, char* p) {
  for (size_t done = 0; done < BIG; done += INPUT_BYTES) read_at(fd, p + done, INPUT_BYTES, 0);
}

int main(int argc, char** argv) {
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    perror(argv[1]);
    return 1;
  }
  char* a = map_fresh();
  fill(fd, a);
  show("filled, first bytes", a, 8);
  show("filled, a chunk later", a + CHUNK + 4, 4);

  memset(a, 0, BIG - INPUT_BYTES); /* untaints all but the last 4 KB */
  char* c = map_fresh();
  fill(fd, c); /* the shadow in use grows by half: the tool compacts */
  show("second mapping", c + BIG / 2 + 3, 2);
  show("cleared", a, BIG - INPUT_BYTES);
  show("kept", a + BIG - INPUT_BYTES, INPUT_BYTES);
  read_at(fd, a + CHUNK - 100, 200, 1000); /* into retired pages, across a chunk */
  show("read again across a chunk", a + CHUNK - 100, 200);
  show("before it", a + CHUNK - 1124, 1024);
  show("after it", a + CHUNK + 100, 1024);

  munmap(a, BIG);
  char* b = map_fresh(); /* its chunks come from the ones just freed */
  show("fresh mapping", b, BIG);
  read_at(fd, b + 5000, 1024, 2048);
  show("fresh mapping, read", b + 5000, 1024);
  show("fresh mapping, the rest", b + 6024, BIG - 6024);
  memcpy(b + 3 * CHUNK - 10, b + 5000, 20); /* a copy across a chunk */
  show("copied", b + 3 * CHUNK - 10, 20);
  munmap(b, BIG);
  munmap(c, BIG);
  close(fd);
  return 0;
}
