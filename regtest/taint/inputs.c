/* The other sources: the program's arguments (--taint-argv), environment
   (--taint-env) and standard input (--taint-stdin), and syscall arguments
   as sinks.  Run as: inputs xyz ZZZ < inputs.input with UNSTUCK_WORD=yes. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "taint_test.h"

int main(int argc, char** argv) {
  if (argc < 3) return 1;
  if (argv[1][1] == 'y') puts("argv[1][1] is y");
  const char* word = getenv("UNSTUCK_WORD");
  if (word != NULL && word[0] == 'y') puts("UNSTUCK_WORD starts with y");
  char line[4];
  if (read(0, line, 4) != 4) return 1;
  if (line[3] == '!') puts("stdin[3] is !");

  char path[64] = "/nonexistent/";
  char* end = path + strlen(path);
  for (const char* c = argv[2]; (*end++ = *c) != '\0'; ++c) {
  }                                     /* a copy that branches on each byte */
  int fd = open(path, O_RDONLY);        /* a path made of argv[2] */
  char echo[8];
  memcpy(echo, line, 4);
  write(1, echo, 4);                    /* stdin's bytes to stdout */
  write(1, "\n", 1);
  return fd < 0 ? 0 : 1;
}
