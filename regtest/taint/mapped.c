/* A tainted file read through mmap and readv/preadv: each byte is labelled
   with its offset in the file.  input: 64 bytes, byte i = i. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "taint_test.h"

int main(int argc, char** argv) {
  (void)argc;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 1;
  const unsigned char* map = mmap(NULL, 64, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return 1;
  show("mmap: byte 0", &map[0], 1);
  show("mmap: byte 42", &map[42], 1);
  show("mmap: bytes 60-64", &map[60], 4);

  char head[5], rest[7];
  struct iovec parts[2] = {{head, sizeof head}, {rest, sizeof rest}};
  if (readv(fd, parts, 2) != 12) return 1;
  show("readv: head[0]", &head[0], 1);
  show("readv: rest[0]", &rest[0], 1);
  show("readv: rest[6]", &rest[6], 1);
  lseek(fd, 20, SEEK_SET);
  char next[2];
  read(fd, next, 2);
  show("read after lseek 20", next, 2);
  char far[3];
  struct iovec at[1] = {{far, sizeof far}};
  preadv(fd, at, 1, 50);
  show("preadv at 50", far, 3);
  int copy = dup(fd);
  char viadup[1];
  read(copy, viadup, 1);
  show("read through a dup (offset shared)", viadup, 1);

  if (map[42] == 42) puts("map[42] is 42");
  return 0;
}
