/* Bytes that go through the kernel inside the process keep their labels:
   a pipe (write, writev; read in pieces), and a socketpair (send, recv,
   both ways).  input: 8 bytes "ABCDEFGH". */
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "taint_test.h"

int main(int argc, char** argv) {
  (void)argc;
  static char in[8];
  read_input(argv[1], in, sizeof in);

  int p[2];
  if (pipe(p) != 0) return 1;
  char back[8];
  write(p[1], in, 8);
  read(p[0], back, 3);
  read(p[0], back + 3, 5);
  show("pipe: back[0..3)", back, 3);
  show("pipe: back[5]", &back[5], 1);

  char clean[4] = "wxyz";
  struct iovec parts[2] = {{clean, 4}, {in + 2, 3}};
  writev(p[1], parts, 2);
  char mixed[7];
  read(p[0], mixed, 7);
  show("writev: the clean part", mixed, 4);
  show("writev: mixed[5]", &mixed[5], 1);

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
  send(sv[0], in + 4, 4, 0);
  send(sv[1], "hi", 2, 0);
  char got[4], reply[2];
  recv(sv[1], got, 4, 0);
  recv(sv[0], reply, 2, 0);
  show("socketpair: got[1]", &got[1], 1);
  show("socketpair: the clean reply", reply, 2);

  if (back[5] == 'F') puts("back[5] is F");
  return 0;
}
