/* Self-modifying code and a tiny JIT, in a writable and executable section:
   patch an immediate and call again, rewrite an instruction into another of
   a different length, copy whole functions into a buffer and run them, and
   write code on the page of code that has just run.  The replayer must
   drop stale translations (it write-protects the pages it translated from;
   Valgrind needs --smc-check=all to see this in a file-backed section). */
#include "guest_rt.h"

__asm__(
    "  .section .smc, \"awx\", @progbits\n"
    "  .globl patchable, template_add, template_mul, jit_buffer\n"
    "patchable:\n"
    "  movl $1, %eax\n"            /* b8 imm32: the immediate is at +1 */
    "  ret\n"
    "  .align 16\n"
    "template_add:\n"              /* rdi + rsi + 0x11 */
    "  leaq 0x11(%rdi,%rsi), %rax\n"
    "  ret\n"
    "template_add_end:\n"
    "  .align 16\n"
    "template_mul:\n"              /* rdi * rsi, then a loop of rsi steps */
    "  movq %rdi, %rax\n"
    "  imulq %rsi, %rax\n"
    "  movq %rsi, %rcx\n"
    "1: addq $3, %rax\n"
    "  decq %rcx\n"
    "  jnz 1b\n"
    "  ret\n"
    "template_mul_end:\n"
    "  .align 64\n"
    "jit_buffer:\n"
    "  .fill 256, 1, 0xc3\n"       /* ret, ret, ... */
    "  .globl template_add_size, template_mul_size\n"
    "  .section .rodata\n"
    "template_add_size: .quad template_add_end - template_add\n"
    "template_mul_size: .quad template_mul_end - template_mul\n"
    "  .text\n");

extern unsigned char patchable[], template_add[], template_mul[], jit_buffer[];
extern const uint64_t template_add_size, template_mul_size;

typedef uint64_t (*fn0)(void);
typedef uint64_t (*fn2)(uint64_t, uint64_t);

/* Stores through a volatile pointer: the compiler must emit each one. */
static void poke(unsigned char* where, const unsigned char* bytes, size_t n) {
  volatile unsigned char* p = where;
  for (size_t i = 0; i < n; ++i) p[i] = bytes[i];
}

static void poke32(unsigned char* where, uint32_t value) {
  poke(where, (const unsigned char*)&value, 4);
}

static uint64_t patch_immediates(void) {
  uint64_t h = CHECKSUM_SEED;
  fn0 f = (fn0)patchable;
  h = mix(h, f());
  for (uint32_t i = 2; i < 12; ++i) {
    poke32(patchable + 1, i * 1000);
    h = mix(h, f());
    h = mix(h, f()); /* again, from the (new) cached translation */
  }
  /* "movl $imm, %eax" (5 bytes) becomes "xorl %eax,%eax; notq %rax; ret" */
  static const unsigned char other[] = {0x31, 0xc0, 0x48, 0xf7, 0xd0, 0xc3};
  poke(patchable, other, sizeof other);
  h = mix(h, f());
  return h;
}

static uint64_t jit(void) {
  uint64_t h = CHECKSUM_SEED;
  fn2 g = (fn2)jit_buffer;
  for (int round = 0; round < 6; ++round) {
    const unsigned char* code = (round & 1) ? template_mul : template_add;
    size_t size = (round & 1) ? template_mul_size : template_add_size;
    memcpy(jit_buffer, code, size); /* byte stores into code just run */
    for (uint64_t x = 1; x < 5; ++x) h = mix(h, g(x * 10, x + (uint64_t)round));
  }
  return h;
}

int main(void) {
  put("patch_immediates", patch_immediates());
  put("jit", jit());
  return 0;
}
