// SPDX-License-Identifier: MIT
/*
 * session_retcode.bpf.c - rules of the verifier beyond the session kfuncs:
 * the return code of an fsession program (check_return_code) and arithmetic
 * on pointers (adjust_ptr_min_max_vals). Written in inline asm so that the
 * exact instructions (and registers) do not depend on the compiler.
 *
 * Expected Linux 7.2 verdicts:
 *
 *   fsession/vfs_read   ret_one         reject:
 *       At program exit the register R0 has smin=1 smax=1 should have been in [0, 0]
 *   fsession/vfs_read   ret_pid         reject:
 *       At program exit the register R0 has unknown scalar value should have been in [0, 0]
 *   fsession/vfs_write  ctx_and         reject:
 *       R1 bitwise operator &= on pointer prohibited
 *   fsession/vfs_write  ret_proved_zero accept: R0 is 0 on both paths (the
 *       fall-through of "if r0 != 0" proves it), and the session call is inlined.
 */
#include "common.h"

#define __naked __attribute__((naked))
#define __clobber_all "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "memory"

extern bool bpf_session_is_return(void *ctx) __ksym;

char LICENSE[] SEC("license") = "GPL";

SEC("fsession/vfs_read")
__naked int ret_one(void *ctx)
{
	asm volatile("r0 = 1;"
		     "exit;"
		     ::: __clobber_all);
}

SEC("fsession/vfs_read")
__naked int ret_pid(void *ctx)
{
	asm volatile("call %[bpf_get_current_pid_tgid];"
		     "exit;"
		     :: [bpf_get_current_pid_tgid] "i"(BPF_FUNC_get_current_pid_tgid)
		     : __clobber_all);
}

SEC("fsession/vfs_write")
__naked int ctx_and(void *ctx)
{
	asm volatile("r1 &= -8;"
		     "r0 = 0;"
		     "exit;"
		     ::: __clobber_all);
}

SEC("fsession/vfs_write")
int ret_proved_zero(void *ctx)
{
	long r = bpf_session_is_return(ctx);

	/* Return r itself where it is 0: the kernel proves it from the branch. */
	asm volatile("r0 = %[r];"
		     "if r0 != 0 goto 1f;"
		     "exit;"
		     "1:"
		     :: [r] "r"(r) : "r0");
	return 0;
}
