/* Parts of a register that holds a loaded value unmodified, read in a
   later superblock (the jmp ends the first): a part's label is the label
   of its own bytes, which the register's copy handle keeps, not the whole
   value's.  32-bit reads of a 64-bit register are the parts VEX makes
   (a byte or word register is read by itself).  input: 64 bytes of
   parts.input (bytes i = 'a' + i % 26); the register is loaded from bytes
   [16, 24). */
#include <stdint.h>

#include "taint_test.h"

static uint32_t low_plus_one, high_plus_one;

/* The low half of RBX, changed (so not a copy), stored: [16, 20). */
__attribute__((noinline)) static void low_half(const char* input) {
  __asm__ volatile("movq 16(%[in]), %%rbx\n\tjmp 1f\n1:\n\tmovl %%ebx, %%eax\n\taddl $1, %%eax\n\tmovl %%eax, %[out]"
                   : [out] "=m"(low_plus_one) : [in] "r"(input) : "rax", "rbx", "cc", "memory");
}

/* The high half, shifted down by whole bytes, changed, stored: [20, 24). */
__attribute__((noinline)) static void high_half(const char* input) {
  __asm__ volatile("movq 16(%[in]), %%rbx\n\tjmp 1f\n1:\n\tmovq %%rbx, %%rcx\n\tshrq $32, %%rcx\n\taddl $1, %%ecx\n\tmovl %%ecx, %[out]"
                   : [out] "=m"(high_plus_one) : [in] "r"(input) : "rbx", "rcx", "cc", "memory");
}

/* A branch on the low half: [16, 20). */
__attribute__((noinline)) static void branch_on_low_half(const char* input) {
  __asm__ volatile("movq 16(%[in]), %%rbx\n\tjmp 1f\n1:\n\tcmpl $0x74737271, %%ebx\n\tjne 2f\n\tnop\n2:"
                   : : [in] "r"(input) : "rbx", "cc", "memory");
}

int main(int argc, char** argv) {
  (void)argc;
  static char input[64];
  read_input(argv[1], input, sizeof input);
  low_half(input);
  show("low half plus one", &low_plus_one, 4);
  high_half(input);
  show("high half plus one", &high_plus_one, 4);
  branch_on_low_half(input);
  return 0;
}
