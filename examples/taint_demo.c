/* taint_demo: reads a message file — a 4-byte header (a message type, a
   flags byte, a 16-bit payload length) and the payload — and hands the
   payload to the handler of its type.  The length comes from the file and
   is trusted: it sizes the memcpy into a 64-byte buffer (a message may
   say 200 bytes; examples/taint_demo.input says 48).  The type, also from
   the file, indexes the table of handlers.  The demo of ./bootstrap demo
   shows the taint tool finding both. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct header {
  uint8_t type;
  uint8_t flags;
  uint16_t length;
};

static void greet(const char* payload) { printf("hello, %.8s...\n", payload); }
static void echo(const char* payload) { printf("echo: %.8s...\n", payload); }
static void (*const handlers[2])(const char*) = {greet, echo};

static void handle(const unsigned char* message) {
  struct header h;
  memcpy(&h, message, sizeof h);
  char payload[64];
  memcpy(payload, message + sizeof h, h.length); /* the length is trusted */
  payload[sizeof payload - 1] = '\0';
  handlers[h.type % 2](payload); /* so is the type */
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: taint_demo MESSAGE-FILE\n");
    return 2;
  }
  unsigned char message[512];
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    perror(argv[1]);
    return 1;
  }
  ssize_t n = read(fd, message, sizeof message);
  close(fd);
  if (n < (ssize_t)sizeof(struct header)) return 1;
  handle(message);
  return 0;
}
