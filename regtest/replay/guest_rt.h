/* The whole runtime of the replay test programs: they are static, with no
   libc (run-guest emulates only write, exit and exit_group), built with
   -ffreestanding -nostdlib.  Include once, from the program's only file;
   define `int main(void)`.

   Programs print what they computed as "name value" lines (hex), so that
   their output under Valgrind, under the replay engine and natively can be
   compared byte for byte. */
#ifndef UNSTUCK_REGTEST_REPLAY_GUEST_RT_H
#define UNSTUCK_REGTEST_REPLAY_GUEST_RT_H

#include <stddef.h>
#include <stdint.h>

int main(void);

static long sys_write(int fd, const void* buf, size_t n) {
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(1L), "D"((long)fd), "S"(buf), "d"(n)
                   : "rcx", "r11", "memory");
  return ret;
}

static __attribute__((noreturn)) void sys_exit(int status) {
  for (;;)
    __asm__ volatile("syscall" : : "a"(231L), "D"((long)status) : "rcx", "r11");
}

/* Entry: the kernel (or run-guest) leaves argc at (%rsp), then argv; align
   the stack as the ABI wants for a call and run main. */
__asm__(
    "  .text\n"
    "  .globl _start\n"
    "_start:\n"
    "  xor %ebp, %ebp\n"
    "  mov %rsp, %rdi\n"
    "  and $-16, %rsp\n"
    "  call rt_start\n"
    "  hlt\n");

static const long* rt_initial_sp;

__attribute__((used, noreturn)) static void rt_start(const long* sp) {
  rt_initial_sp = sp;
  sys_exit(main());
}

__attribute__((unused)) static int rt_argc(void) { return (int)rt_initial_sp[0]; }

__attribute__((unused)) static const char* rt_arg(int i) {
  return (const char*)rt_initial_sp[1 + i];
}

/* The compiler may call these even in freestanding code. */
void* memset(void* dst, int c, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  while (n--) *d++ = *s++;
  return dst;
}

static size_t rt_strlen(const char* s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}

static void put_str(const char* s) { sys_write(1, s, rt_strlen(s)); }

/* "name 0123456789abcdef\n" */
static void put(const char* name, uint64_t value) {
  char line[80];
  size_t n = 0;
  while (*name && n < 50) line[n++] = *name++;
  line[n++] = ' ';
  for (int shift = 60; shift >= 0; shift -= 4)
    line[n++] = "0123456789abcdef"[(value >> shift) & 15];
  line[n++] = '\n';
  sys_write(1, line, n);
}

/* A running checksum over many values: one line instead of hundreds. */
static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v;
  h *= 0x100000001b3ULL;
  return h ^ (h >> 29);
}

static uint64_t mix_bytes(uint64_t h, const void* p, size_t n) {
  const unsigned char* b = (const unsigned char*)p;
  for (size_t i = 0; i < n; ++i) h = mix(h, b[i]);
  return h;
}

#define CHECKSUM_SEED 0xcbf29ce484222325ULL

#endif
