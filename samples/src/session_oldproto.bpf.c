// SPDX-License-Identifier: MIT
/*
 * session_oldproto.bpf.c - built against the OLD, zero-argument prototypes.
 *
 * Before Linux 7.0 (commit 8fe4dc4f "bpf: change prototype of
 * bpf_session_{cookie,is_return}") both kfuncs took no argument, and the
 * kernels on this project's machines (6.18) still declare them that way.
 * Code written for them never sets r1 before the call, so at the call site r1
 * holds whatever the compiler last put there. The 7.0 verifier checks r1
 * against the NEW prototype (ctx pointer), so the result depends on codegen.
 * See the end of this file for what clang-19 -O2 actually produced.
 */
#include "common.h"

extern bool bpf_session_is_return(void) __ksym;
extern __u64 *bpf_session_cookie(void) __ksym;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

__u64 calls;
__u64 total_ns;

/*
 * The kfunc is the first call in the program: nothing has touched r1 yet,
 * so it still holds ctx "by accident".
 */
SEC("fsession/do_unlinkat")
int BPF_PROG(old_first_call, int dfd, void *name, int ret)
{
	if (bpf_session_is_return())
		__sync_fetch_and_add(&calls, 1);
	return 0;
}

/*
 * A helper runs first. Helper calls clobber r1-r5, so at the kfunc call site
 * r1 is uninitialised as far as the verifier is concerned.
 */
SEC("fsession/do_rmdir")
int BPF_PROG(old_after_helper, int dfd, void *name, int ret)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 *cookie = bpf_session_cookie();

	if (!bpf_session_is_return()) {
		*cookie = now;
		return 0;
	}
	__sync_fetch_and_add(&total_ns, now - *cookie);
	return 0;
}

/*
 * ctx is read first; the compiler reuses r1 as a scratch register for the
 * loaded argument before the kfunc call.
 */
SEC("fsession/vfs_unlink")
int BPF_PROG(old_r1_scratch, void *idmap, void *dir, void *dentry, void *inode, int ret)
{
	__u64 *cookie;

	if (ret == 0)
		__sync_fetch_and_add(&calls, 1);
	cookie = bpf_session_cookie();
	*cookie = (__u64)dentry;
	return 0;
}

/*
 * What clang-19 -O2 generated (llvm-objdump-19 -dr, bpfel, default cpu v1), and
 * what a 7.0 verifier would say if the program reached it:
 *
 *   old_first_call   insn 0: call bpf_session_is_return, the first instruction
 *                    of the program. r1 is still the ctx the program was
 *                    entered with => accepted, and inlining is correct, by
 *                    accident.
 *   old_after_helper insn 0: call bpf_ktime_get_ns (helper 5) clobbers r1-r5;
 *                    insn 2: call bpf_session_cookie, insn 4: call
 *                    bpf_session_is_return, neither sets r1 => "R1 !read_ok".
 *                    (clang also hoisted the cookie call above the branch.)
 *   old_r1_scratch   insn 1: r1 = *(u64 *)(r1 + 0x20) (the ret slot) turns
 *                    r1 into a scalar; on the other path insn 5 sets r1 = 1
 *                    for the atomic add; insn 9: call bpf_session_cookie =>
 *                    "arg#0 expected pointer to ctx, but got scalar".
 *
 * The object's BTF records FUNC_PROTO vlen=0 for both kfuncs. libbpf compares
 * that with the kernel's prototype (bpf_core_types_are_compat in
 * bpf_object__resolve_ksym_func_btf_id), so against a 7.0 kernel a real load
 * fails even earlier: "extern (func ksym) 'bpf_session_is_return':
 * func_proto [N] incompatible with vmlinux [M]" (read in libbpf source, not run).
 */
