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

        .set SIGFPE, 8
        .set SIGUSR1, 10
        .set SIGSEGV, 11
        .set SA_SIGINFO_RESTORER, 0x04000004
        .set UC_RIP, 168          /* ucontext_t.uc_mcontext.gregs[REG_RIP] */

        .text
        .globl _start
_start:
        mov     $SIGSEGV, %edi
        lea     resume_handler(%rip), %rsi
        call    install
        mov     $SIGFPE, %edi
        lea     resume_handler(%rip), %rsi
        call    install
        mov     $SIGUSR1, %edi
        lea     async_handler(%rip), %rsi
        call    install

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

/* install(signo in %edi, handler in %rsi): rt_sigaction with SA_SIGINFO. */
install:
        lea     action(%rip), %rax
        mov     %rsi, (%rax)
        movq    $SA_SIGINFO_RESTORER, 8(%rax)
        lea     restorer(%rip), %rcx
        mov     %rcx, 16(%rax)
        movq    $0, 24(%rax)
        mov     %rax, %rsi
        xor     %edx, %edx
        mov     $8, %r10d
        mov     $13, %eax         /* rt_sigaction */
        syscall
        ret

/* Resumes the interrupted code at resume_at.  It comes through memory:
   Valgrind keeps only %rip, %rsp and %rbp precise at a fault, so a register
   set just before the fault may still hold an older value. */
resume_handler:
        mov     resume_at(%rip), %rax
        mov     %rax, UC_RIP(%rdx)
        ret

async_handler:
        ret

restorer:
        mov     $15, %eax         /* rt_sigreturn */
        syscall

        .bss
        .align  8
action: .skip   32
resume_at:
        .skip   8

        .section .note.GNU-stack,"",@progbits
