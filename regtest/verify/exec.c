/* exec: prints, then replaces itself with /bin/echo; the recording of this
   process ends cleanly at the exec. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("before exec\n");
  fflush(stdout);
  execl("/bin/echo", "echo", "after exec", (char *)NULL);
  perror("execl");
  return 1;
}
