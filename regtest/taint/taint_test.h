/* Helpers for the taint tool's test programs. */
#ifndef TAINT_TEST_H
#define TAINT_TEST_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "unstuck/taint.h"

/* Reads exactly n bytes of `path` into buf (exits on failure). */
static inline void read_input(const char* path, void* buf, size_t n) {
  int fd = open(path, O_RDONLY);
  if (fd < 0 || read(fd, buf, n) != (ssize_t)n) {
    perror(path);
    exit(1);
  }
  close(fd);
}

/* Prints the labels of [addr, addr + len) as "what: labels". */
static inline void show(const char* what, const void* addr, size_t len) {
  char text[256] = "(not under the taint tool)";
  UNSTUCK_TAINT_QUERY(addr, len, text, sizeof text);
  printf("%s: %s\n", what, text);
}

/* Keeps the compiler from folding a value away. */
#define OPAQUE(x) __asm__ volatile("" : "+r"(x))

#endif
