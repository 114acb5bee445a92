// SPDX-License-Identifier: MIT
/*
 * session_bad.bpf.c - programs a Linux 7.0 verifier must REJECT.
 *
 * Each mistake is in its own program so a tool (or the kernel) can report them
 * one by one. Expected verifier messages:
 *
 *   fentry/do_unlinkat    bad_fentry_is_return
 *       calling kernel function bpf_session_is_return is not allowed
 *       (the kfunc filter only admits fsession and kprobe/uprobe sessions)
 *   fsession/do_unlinkat  bad_ctx_plus_8
 *       dereference of modified ctx ptr R1 off=8 disallowed
 *   fsession/do_rmdir     bad_stack_ptr
 *       arg#0 expected pointer to ctx, but got fp
 *   fsession/vfs_unlink   bad_map_value
 *       arg#0 expected pointer to ctx, but got map_value
 *
 * Note: a rewriting tool must not inline any of these calls: inlining would
 * turn a program the kernel rejects into one it accepts (or into one that
 * reads the wrong stack slot).
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;
extern __u64 *bpf_session_cookie(void *ctx) __ksym;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct cookie_box {
	__u64 hdr;
	__u64 fake_ctx;		/* at offset 8: the map value pointer passed below is value+8 */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cookie_box);
} boxes SEC(".maps");

__u64 sink;

/* 1. Session kfunc in a plain fentry program: not allowed at all. */
SEC("fentry/do_unlinkat")
int BPF_PROG(bad_fentry_is_return, int dfd, void *name)
{
	if (bpf_session_is_return(ctx))
		sink = 1;
	return 0;
}

/*
 * 2. ctx + 8 instead of ctx. Plain C would do ("(char *)ctx + 8"), but the
 * inline asm makes sure the exact "r1 = ctx; r1 += 8" pair survives any
 * optimisation.
 */
SEC("fsession/do_unlinkat")
int BPF_PROG(bad_ctx_plus_8, int dfd, void *name, int ret)
{
	void *p = ctx;

	asm volatile("%[p] += 8" : [p] "+r"(p));
	if (bpf_session_is_return(p))
		sink = 2;
	return 0;
}

/* 3. A pointer to the program's own stack ("fp") instead of ctx. */
SEC("fsession/do_rmdir")
int BPF_PROG(bad_stack_ptr, int dfd, void *name, int ret)
{
	__u64 fake[2] = { dfd, ret };
	__u64 *cookie = bpf_session_cookie(fake);

	*cookie = 0;
	return 0;
}

/* 4. A map value pointer (value + 8) instead of ctx. */
SEC("fsession/vfs_unlink")
int BPF_PROG(bad_map_value, void *idmap, void *dir, void *dentry, void *inode, int ret)
{
	__u32 key = 0;
	struct cookie_box *box = bpf_map_lookup_elem(&boxes, &key);

	if (!box)
		return 0;
	if (bpf_session_is_return(&box->fake_ctx))
		sink = 4;
	return 0;
}
