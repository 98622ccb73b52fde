/* fork: after a fork both processes run under Valgrind; each gets a trace
   of its own. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned long work(unsigned long n) {
  unsigned long s = 0;
  for (unsigned long i = 0; i < n; ++i) s += i ^ (i >> 3);
  return s;
}

int main(void) {
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    unsigned long s = work(300000);
    _exit((int)(s % 100));
  }
  unsigned long mine = work(100000);
  int status = 0;
  waitpid(child, &status, 0);
  printf("parent %lu, child exited %d\n", mine % 1000, WEXITSTATUS(status));
  return 0;
}
