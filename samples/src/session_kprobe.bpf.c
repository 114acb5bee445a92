// SPDX-License-Identifier: MIT
/*
 * session_kprobe.bpf.c - kprobe/uprobe sessions (BPF_PROG_TYPE_KPROBE).
 *
 * The session kfuncs are allowed here too, but the verifier does NOT inline
 * them for kprobe.session / uprobe.session: those programs keep real kfunc
 * calls (libbpf turns them into src_reg=2 calls with the kernel BTF id).
 * A rewriting tool must leave every call site in this object unchanged.
 *
 * The kfuncs are declared __weak, so the object still loads on kernels that
 * lack them: libbpf resolves a missing weak kfunc to 0, and
 * bpf_ksym_exists(bpf_session_cookie) compiles to an ld_imm64 of the kfunc
 * address (R_BPF_64_64 against the kfunc symbol) - not a call.
 *
 * Programs:
 *   kprobe.session/do_unlinkat            kunlink_sess  - both kfuncs + existence check
 *   uprobe.session/libc.so.6:malloc       malloc_sess   - cookie carries the size
 *   uprobe.session.s/libc.so.6:free       free_sess     - sleepable uprobe session
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym __weak;
extern __u64 *bpf_session_cookie(void *ctx) __ksym __weak;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);	/* requested size */
	__type(value, __u64);	/* number of successful mallocs of that size */
} malloc_sizes SEC(".maps");

__u64 unlink_done;
__u64 unlink_failed;
__u64 no_session_support;
__u64 frees;

SEC("kprobe.session/do_unlinkat")
int kunlink_sess(struct pt_regs *regs)
{
	__u64 *cookie;

	/* Weak-kfunc existence check: an ld_imm64 referencing the kfunc. */
	if (!bpf_ksym_exists(bpf_session_cookie)) {
		__sync_fetch_and_add(&no_session_support, 1);
		return 0;
	}
	cookie = bpf_session_cookie(regs);
	if (!bpf_session_is_return(regs)) {
		*cookie = regs->di;	/* dfd, CO-RE relocated pt_regs access */
		return 0;		/* 0: also run the return probe */
	}
	if ((long)regs->ax < 0)
		__sync_fetch_and_add(&unlink_failed, 1);
	else
		__sync_fetch_and_add(&unlink_done, 1);
	return 0;
}

SEC("uprobe.session/libc.so.6:malloc")
int malloc_sess(struct pt_regs *regs)
{
	__u64 *cookie = bpf_session_cookie(regs);
	__u64 one = 1, *cnt;

	if (!bpf_session_is_return(regs)) {
		*cookie = regs->di;	/* size argument */
		return 0;
	}
	if (!regs->ax)			/* malloc returned NULL */
		return 0;
	cnt = bpf_map_lookup_elem(&malloc_sizes, cookie);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&malloc_sizes, cookie, &one, BPF_NOEXIST);
	return 0;
}

SEC("uprobe.session.s/libc.so.6:free")
int free_sess(struct pt_regs *regs)
{
	/* Return non-zero at entry: skip the return probe for NULL frees. */
	if (!bpf_session_is_return(regs) && !regs->di)
		return 1;
	if (bpf_session_is_return(regs))
		__sync_fetch_and_add(&frees, 1);
	return 0;
}
