// Misuse of heap blocks, one function each, each once: lifetime reports
// every one as it happens (misuse.stderr.exp) and in lifetime.out
// (check_misuse).
#include <stdio.h>
#include <stdlib.h>

// Hides pointers from the compiler, which would otherwise see the bugs.
static void* launder(void* p) {
  __asm__ volatile("" : "+r"(p) : : "memory");
  return p;
}

__attribute__((noinline)) static int use_after_free(void) {
  int* p = launder(malloc(40));
  p[2] = 7;
  free(p);
  return ((int*)launder(p))[2];  // 4 bytes at offset 8 of a freed block
}

// The first word of a freed block: the read glibc's thread exit makes of
// its cached chunks too, but here no free of the block follows.
__attribute__((noinline)) static long first_word_after_free(void) {
  long* p = launder(malloc(24));
  p[0] = 11;
  free(p);
  return ((long*)launder(p))[0];
}

__attribute__((noinline)) static int read_before_write(void) {
  int* q = launder(malloc(16));
  int v = q[1];  // offset 4, never written
  free(q);
  return v;
}

__attribute__((noinline)) static void overflow_by_one(void) {
  char* r = launder(malloc(24));
  for (int i = 0; i <= 24; ++i) r[i] = (char)i;  // r[24] is one too far
  free(r);
}

__attribute__((noinline)) static void overflow_into_header(void) {
  char* s = launder(malloc(32));
  for (int i = 0; i <= 32; ++i) s[i] = (char)i;  // s[32]: past a 16-byte boundary
  free(s);
}

__attribute__((noinline)) static int underflow(void) {
  char* t = launder(malloc(16));
  t[0] = 1;
  int v = ((volatile char*)t)[-1];  // the byte before the block
  free(t);
  return v;
}

int main(void) {
  int a = use_after_free();
  long w = first_word_after_free();
  int b = read_before_write();
  overflow_by_one();
  overflow_into_header();
  int c = underflow();
  // The values read are whatever the allocator left: only used, not shown.
  printf("done %d\n", a == 7 || w == 12345 || b == 12345 || c == 12345);
  return 0;
}
