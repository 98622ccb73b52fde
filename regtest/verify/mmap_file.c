/* mmap_file: writes a file, maps it privately, reads and changes it
   through the mapping; the replay needs the file's contents from the
   trace (they are not in the program). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "mmap_file.data";
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  for (int i = 0; i < 20000; ++i) {
    char line[32];
    int n = snprintf(line, sizeof line, "line %d\n", i);
    write(fd, line, n);
  }
  off_t size = lseek(fd, 0, SEEK_END);
  unsigned char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  unsigned long sum = 0;
  for (off_t i = 0; i < size; ++i) sum = sum * 31 + p[i];
  p[0] = 'L';
  printf("size %ld, checksum %lu, first byte now %c\n", (long)size, sum, p[0]);
  munmap(p, size);
  close(fd);
  unlink(path);
  return 0;
}
