// SPDX-License-Identifier: MIT
/*
 * session_asm.bpf.c - exact instruction streams, written as naked functions
 * with inline asm the way the kernel's verifier selftests are.
 *
 * Every program here is a valid fsession program (ctx in R1 at each kfunc
 * call, R0 = 0 at exit), so a Linux 7.0 verifier inlines every call site.
 * What each one exercises:
 *
 *   fsession/vfs_read    asm_spill_reload  ctx spilled to the stack at entry
 *                                          and reloaded into r1 before each call
 *   fsession/vfs_write   asm_jumps         a backward jump (loop) across a call
 *                                          and a forward jump across a call
 *   fsession/vfs_open    asm_jump_to_call  a conditional jump whose target IS
 *                                          the kfunc call instruction
 *   fsession/vfs_fsync   asm_tail_calls    calls two .text subprograms whose
 *                                          body is exactly "call kfunc; exit"
 *   fsession/vfs_statx   c_anchor          ordinary C caller of both kfuncs
 *
 * A kfunc referenced only from inline asm gets no BTF FUNC and no .ksyms
 * entry, and libbpf then refuses the object; c_anchor provides both.
 *
 * asm labels ("l0_%=") become NOTYPE LOCAL symbols inside the code sections.
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;
extern __u64 *bpf_session_cookie(void *ctx) __ksym;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define __naked __attribute__((naked))
#define __imm(name) [name] "i"(name)
#define __clobber_all "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "memory"

__u64 anchor_hits;

/* Spill ctx at entry, reload it into r1 before every kfunc call. */
SEC("fsession/vfs_read")
__naked int asm_spill_reload(void)
{
	asm volatile (
	"*(u64 *)(r10 - 8) = r1;"
	"call %[bpf_ktime_get_ns];"		/* clobbers r1-r5 */
	"r6 = r0;"
	"r1 = *(u64 *)(r10 - 8);"
	"call %[bpf_session_is_return];"
	"*(u64 *)(r10 - 16) = r0;"		/* spill the bool */
	"r1 = *(u64 *)(r10 - 8);"
	"call %[bpf_session_cookie];"
	"r1 = *(u64 *)(r10 - 16);"
	"r1 &= 1;"
	"if r1 != 0 goto l0_%=;"
	"*(u64 *)(r0 + 0) = r6;"		/* entry: cookie = now */
	"goto l1_%=;"
"l0_%=:"
	"r2 = *(u64 *)(r0 + 0);"		/* exit: now - cookie */
	"r6 -= r2;"
	"*(u64 *)(r0 + 0) = r6;"
"l1_%=:"
	"r0 = 0;"
	"exit;"
	:
	: __imm(bpf_ktime_get_ns), __imm(bpf_session_is_return), __imm(bpf_session_cookie)
	: __clobber_all);
}

/*
 * ctx kept in r6; a bounded loop (3 rounds) jumps backward over a call, and a
 * branch skips one. jne rather than jlt keeps the object within -mcpu=v1.
 */
SEC("fsession/vfs_write")
__naked int asm_jumps(void)
{
	asm volatile (
	"r6 = r1;"
	"r7 = 0;"
	"r8 = 0;"				/* loop counter: 3 rounds */
"l0_%=:"					/* backward-jump target */
	"r1 = r6;"
	"call %[bpf_session_is_return];"
	"r0 &= 1;"
	"r7 += r0;"
	"r8 += 1;"
	"if r8 != 3 goto l0_%=;"		/* backward, across the call above */
	"r1 = r6;"
	"if r7 == 0 goto l1_%=;"		/* forward, across the call below */
	"call %[bpf_session_cookie];"
	"*(u64 *)(r0 + 0) = r7;"
"l1_%=:"
	"r0 = 0;"
	"exit;"
	:
	: __imm(bpf_session_is_return), __imm(bpf_session_cookie)
	: __clobber_all);
}

/* Two paths meet exactly at the kfunc call: the jump target is the call. */
SEC("fsession/vfs_open")
__naked int asm_jump_to_call(void)
{
	asm volatile (
	"r6 = r1;"
	"call %[bpf_get_smp_processor_id];"
	"r1 = r6;"
	"if r0 == 0 goto l0_%=;"		/* lands on the call */
	"r7 = r0;"
	"r7 += 1;"
"l0_%=:"
	"call %[bpf_session_cookie];"
	"r7 = r0;"
	"r1 = r6;"
	"if r7 != 0 goto l1_%=;"		/* lands on the second call */
	"r0 = 0;"
	"exit;"
"l1_%=:"
	"call %[bpf_session_is_return];"
	"r0 &= 1;"
	"*(u64 *)(r7 + 0) = r0;"
	"r0 = 0;"
	"exit;"
	:
	: __imm(bpf_get_smp_processor_id), __imm(bpf_session_is_return),
	  __imm(bpf_session_cookie)
	: __clobber_all);
}

/*
 * Tail position: the subprogram returns the kfunc result directly.
 * (An fsession *program* cannot end like this, it must return 0.)
 */
static __naked __noinline __attribute__((used)) int asm_tail_is_ret(void)
{
	asm volatile (
	"call %[bpf_session_is_return];"
	"exit;"
	:
	: __imm(bpf_session_is_return)
	: __clobber_all);
}

static __naked __noinline __attribute__((used)) int asm_tail_cookie(void)
{
	asm volatile (
	"call %[bpf_session_cookie];"
	"exit;"
	:
	: __imm(bpf_session_cookie)
	: __clobber_all);
}

SEC("fsession/vfs_fsync")
__naked int asm_tail_calls(void)
{
	asm volatile (
	"r6 = r1;"
	"call asm_tail_cookie;"			/* r1 = ctx on entry */
	"r7 = r0;"
	"r1 = r6;"
	"call asm_tail_is_ret;"
	"r0 &= 1;"
	"*(u64 *)(r7 + 0) = r0;"
	"r0 = 0;"
	"exit;"
	::: __clobber_all);
}

/* Ordinary C caller of both kfuncs: gives them BTF FUNC + .ksyms entries. */
SEC("fsession/vfs_statx")
int BPF_PROG(c_anchor, int dfd, void *filename, int flags, void *stat, int mask, int ret)
{
	__u64 *cookie = bpf_session_cookie(ctx);

	if (bpf_session_is_return(ctx))
		anchor_hits += *cookie;
	else
		*cookie = 1;
	return 0;
}
