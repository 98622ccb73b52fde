/* count_fatal: dies of SIGSEGV (no handler) after 9 retired instructions:
   1 + 3 x 2 (loop) + 2, then a load from address 0 that does not retire. */
        .text
        .globl _start
_start:
        mov     $3, %ecx
1:      dec     %ecx
        jnz     1b
        xor     %eax, %eax
        nop
        mov     (%rax), %rbx      /* faults; %rbx stays live to the syscall */
        mov     $60, %eax
        syscall

        .section .note.GNU-stack,"",@progbits
