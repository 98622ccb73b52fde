/* A forked child renames itself twice, through /proc/self/comm and
   /proc/self/task/PID/comm: the child's trace names its one thread so. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  pid_t child = fork();
  if (child == 0) {
    int fd = open("/proc/self/comm", O_WRONLY);
    write(fd, "the-child", 9);
    close(fd);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", getpid());
    fd = open(path, O_WRONLY);
    write(fd, "child-again", 11);
    close(fd);
    _exit(0);
  }
  waitpid(child, 0, 0);
  return 0;
}
