/* count_exact: retires a number of instructions computed by hand, below.
   No libc: every instruction the program executes is in this file.

   The count follows unstuck's clock (shared/timeline/instruction_clock.h):
   a faulting instruction does not retire; a syscall instruction does; the
   instructions of a signal handler and of its sigreturn trampoline do.

   Section                                  instructions
   install 3 handlers: 3 x (3 + 12)                   45
   loop: 1 + 100 x 3                                 301
   side exits (one not taken, one taken)               4
   call/ret                                            3
   SIGSEGV: 4 before the fault + handler 3 + ret 2     9
   SIGFPE:  6 before the fault + handler 3 + ret 2    11
   SIGUSR1 (async): getpid 2 + kill 4 + handler 1 + 2  9
   exit                                                3
   total                                             385  */

        .text
#include "resume_handler.inc"

        .globl _start
_start:
        handle  SIGSEGV, resume_handler
        handle  SIGFPE, resume_handler
        handle  SIGUSR1, async_handler

        mov     $100, %ecx
1:      add     $1, %rax
        dec     %ecx
        jnz     1b

        xor     %eax, %eax
        test    %eax, %eax
        jnz     2f                /* not taken */
        jz      2f                /* taken: leaves mid-superblock */
        nop
        nop
        nop
2:
        call    leaf

        /* A load from address 0, after two instructions of its block.  Its
           result goes to a register nothing overwrites: VEX drops loads
           whose results are dead, and then nothing would fault. */
        lea     after_segv(%rip), %rax
        mov     %rax, resume_at(%rip)
        xor     %ebx, %ebx
        nop
        mov     (%rbx), %r13      /* faults: does not retire */
after_segv:

        /* Division by zero, where Valgrind keeps no precise %rip:
           the clock must find the faulting instruction itself. */
        lea     after_div(%rip), %rax
        mov     %rax, resume_at(%rip)
        xor     %ecx, %ecx
        nop
        mov     $7, %eax
        xor     %edx, %edx
        div     %rcx              /* faults: does not retire */
after_div:

        /* A signal the process sends itself, delivered after the syscall. */
        mov     $39, %eax         /* getpid */
        syscall
        mov     %eax, %edi
        mov     $SIGUSR1, %esi
        mov     $62, %eax         /* kill */
        syscall

        mov     $60, %eax         /* exit(0) */
        xor     %edi, %edi
        syscall

leaf:
        nop
        ret

async_handler:
        ret


        .section .note.GNU-stack,"",@progbits
