/* count_early_exits: faults next to the early exits VEX puts in the middle
   of a superblock, counted by hand as in count_exact.S.  An SSE load that
   needs 16-byte alignment gets a side exit that raises SIGSEGV at the load
   when the address is not aligned: taken, the superblock retires fewer
   instructions than it counted on entry; not taken, a fault later in the
   same superblock must still be settled at its own instruction.

   Section                                              instructions
   install the SIGSEGV handler: 3 + 12                            15
   misaligned movdqa: 4 before it + handler 3 + ret 2              9
   aligned movdqa, then a load from 0: 6 before + 3 + 2           11
   exit                                                            3
   total                                                          38  */

        .text
#include "resume_handler.inc"

        .globl _start
_start:
        handle  SIGSEGV, resume_handler

        /* The side exit is taken: movdqa does not retire, nor the two
           instructions after it, which the block counted on entry. */
        lea     after_misaligned(%rip), %rax
        mov     %rax, resume_at(%rip)
        lea     buffer+1(%rip), %rbx
        nop
        movdqa  (%rbx), %xmm0     /* faults: does not retire */
        nop
        nop
after_misaligned:

        /* The side exit is not taken; the load from 0 faults after it. */
        lea     after_load(%rip), %rax
        mov     %rax, resume_at(%rip)
        lea     buffer(%rip), %rbx
        movdqa  (%rbx), %xmm0
        xor     %ecx, %ecx
        nop
        mov     (%rcx), %r13      /* faults: does not retire */
        nop
after_load:

        mov     $60, %eax         /* exit(0) */
        xor     %edi, %edi
        syscall


        .bss
        .align  16
buffer: .skip   32

        .section .note.GNU-stack,"",@progbits
