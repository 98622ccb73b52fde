/* The replayer's dispatcher: enters VEX-generated code and is where that
   code leaves to.  See dispatcher.h for the contract.

   The caller has already put the x87 control word and MXCSR in the state
   generated code expects (VexFpMode, dispatcher.h): loading them costs more
   than a whole short block, so it is done once per Executor::run, not once
   per entry.

   Stack frame while generated code runs (%rsp is 16-byte aligned, as
   generated code needs for the helper calls it makes):
       0(%rsp)   the DispatchExit* to fill in
       8(%rsp)   saved %r15, %r14, %r13, %r12, %rbp, %rbx, return address

   Generated code leaves %rsp as it found it at every exit; the chain-me
   points are reached by a call, whose return address (the patch site) they
   pop first. */

#include "libvex_guest_offsets.h"

        .set    EXIT_CHAIN_ME_SLOW, 1
        .set    EXIT_CHAIN_ME_FAST, 2
        .set    EXIT_INDIRECT, 3
        .set    EXIT_ASSISTED, 4
        .set    EXIT_EVCHECK_FAILED, 5
        .set    CHAIN_ME_CALL_BYTES, 13   /* movabsq $imm64,%r11; call *%r11 */
        .set    FAST_TABLE_BITS, 15       /* see fast_table.h */
        .set    FAST_TABLE_MASK, (1 << FAST_TABLE_BITS) - 1

        .text

/* void unstuck_replay_enter(DispatchExit* exit, void* guest_state,
                             const void* host_code) */
        .globl  unstuck_replay_enter
        .type   unstuck_replay_enter, @function
unstuck_replay_enter:
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        pushq   %rdi
        cld                              /* as VEX's code assumes */
        movq    %rsi, %rbp
        jmpq    *%rdx
        .size   unstuck_replay_enter, .-unstuck_replay_enter

        .globl  unstuck_replay_chain_me_to_slowEP
        .type   unstuck_replay_chain_me_to_slowEP, @function
unstuck_replay_chain_me_to_slowEP:
        popq    %rdx
        subq    $CHAIN_ME_CALL_BYTES, %rdx
        movl    $EXIT_CHAIN_ME_SLOW, %eax
        jmp     leave_generated_code
        .size   unstuck_replay_chain_me_to_slowEP, .-unstuck_replay_chain_me_to_slowEP

        .globl  unstuck_replay_chain_me_to_fastEP
        .type   unstuck_replay_chain_me_to_fastEP, @function
unstuck_replay_chain_me_to_fastEP:
        popq    %rdx
        subq    $CHAIN_ME_CALL_BYTES, %rdx
        movl    $EXIT_CHAIN_ME_FAST, %eax
        jmp     leave_generated_code
        .size   unstuck_replay_chain_me_to_fastEP, .-unstuck_replay_chain_me_to_fastEP

/* An indirect exit: look the next guest address up in the fast table and
   go straight to that translation's slow entry point (its event check
   keeps the bound on blocks run without C++); on a miss, return. */
        .globl  unstuck_replay_xindir
        .type   unstuck_replay_xindir, @function
unstuck_replay_xindir:
        movq    OFFSET_amd64_RIP(%rbp), %rax
        movq    %rax, %r10
        shrq    $FAST_TABLE_BITS, %r10
        xorq    %rax, %r10
        andq    $FAST_TABLE_MASK, %r10
        shlq    $4, %r10                 /* sizeof(FastTableEntry) */
        leaq    unstuck_replay_fast_table(%rip), %r11
        cmpq    %rax, (%r11,%r10)
        jne     1f
        jmpq    *8(%r11,%r10)
1:      movl    $EXIT_INDIRECT, %eax
        xorl    %edx, %edx
        jmp     leave_generated_code
        .size   unstuck_replay_xindir, .-unstuck_replay_xindir

/* %rbp holds a VEX_TRC_* code instead of the guest state pointer. */
        .globl  unstuck_replay_xassisted
        .type   unstuck_replay_xassisted, @function
unstuck_replay_xassisted:
        movq    %rbp, %rdx
        movl    $EXIT_ASSISTED, %eax
        jmp     leave_generated_code
        .size   unstuck_replay_xassisted, .-unstuck_replay_xassisted

        .globl  unstuck_replay_evcheck_fail
        .type   unstuck_replay_evcheck_fail, @function
unstuck_replay_evcheck_fail:
        movl    $EXIT_EVCHECK_FAILED, %eax
        xorl    %edx, %edx
        jmp     leave_generated_code
        .size   unstuck_replay_evcheck_fail, .-unstuck_replay_evcheck_fail

/* %eax: the exit kind, %rdx: its word. */
leave_generated_code:
        popq    %rdi
        movq    %rax, 0(%rdi)
        movq    %rdx, 8(%rdi)
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        ret

        .section .note.GNU-stack,"",@progbits
