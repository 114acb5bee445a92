// SPDX-License-Identifier: MIT
/*
 * session_subprog.bpf.c - session kfuncs called from bpf-to-bpf subprograms.
 *
 * The verifier inlines a kfunc call per *program*: libbpf appends a copy of
 * every subprogram a program uses to that program, and the copy is verified
 * with the caller's program type. So a subprogram in .text is rewritten (or
 * not) according to which program calls it:
 *
 *   sess_is_exit      static __noinline, .text  - calls bpf_session_is_return;
 *                                                 used by fsession progs only
 *   sess_account      global __noinline, .text  - calls both kfuncs; verified on
 *                                                 its own with an __arg_ctx ctx
 *   sess_shared_note  static __noinline, .text  - calls both kfuncs; used by an
 *                                                 fsession AND a kprobe.session
 *                                                 program: inline in one copy,
 *                                                 keep the calls in the other
 *   sum_cb            static, .text             - bpf_loop callback, loaded as
 *                                                 a code address (ld_imm64)
 *
 * Programs:
 *   fsession/vfs_read        read_sess   - sess_is_exit + sess_account + bpf_loop
 *   fsession/vfs_write       write_sess  - sess_shared_note + sess_is_exit
 *   kprobe.session/vfs_write kwrite_sess - sess_shared_note (calls stay calls)
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;
extern __u64 *bpf_session_cookie(void *ctx) __ksym;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} totals SEC(".maps");

__u64 read_bytes;
__u64 write_calls;
__u64 kwrite_calls;
__u64 loop_sum;
const volatile __u32 loop_rounds = 4;

/* Static subprogram: compiled to "r1 = ctx; call; r0 &= 1; exit" (tail shape). */
static __noinline bool sess_is_exit(void *ctx)
{
	return bpf_session_is_return(ctx);
}

/*
 * Global subprogram. The verifier checks it once, independently of callers,
 * so the ctx argument must be declared as such (__arg_ctx, a BTF decl tag).
 * Entry: store a timestamp in the cookie. Exit: add the elapsed time to
 * totals[key] and return it.
 */
__noinline int sess_account(void *ctx __arg_ctx, __u32 key)
{
	__u64 *cookie = bpf_session_cookie(ctx);
	__u64 *slot;

	if (!bpf_session_is_return(ctx)) {
		*cookie = bpf_ktime_get_ns();
		return 0;
	}
	slot = bpf_map_lookup_elem(&totals, &key);
	if (slot)
		__sync_fetch_and_add(slot, bpf_ktime_get_ns() - *cookie);
	return 1;
}

/*
 * Shared by fsession/vfs_write and kprobe.session/vfs_write. Counts in the
 * cookie how many times this invocation has been seen (1 at entry, 2 at exit).
 */
static __noinline int sess_shared_note(void *ctx, __u64 *counter)
{
	__u64 *cookie = bpf_session_cookie(ctx);

	*cookie += 1;
	if (sess_is_exit(ctx))		/* .text -> .text call: pc-relative, no relocation */
		__sync_fetch_and_add(counter, *cookie);
	return 0;
}

struct loop_ctx {
	__u64 base;
	__u64 acc;
};

/* bpf_loop callback: its address is taken with an ld_imm64 (R_BPF_64_64). */
static int sum_cb(__u32 idx, void *data)
{
	struct loop_ctx *lc = data;

	lc->acc += lc->base + idx;
	return 0;
}

/* ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos); */
SEC("fsession/vfs_read")
int BPF_PROG(read_sess, void *file, char *buf, __u64 count, void *pos, long ret)
{
	struct loop_ctx lc = { .base = count };

	if (sess_account(ctx, 0) && ret > 0)
		__sync_fetch_and_add(&read_bytes, ret);
	if (sess_is_exit(ctx)) {
		bpf_loop(loop_rounds, sum_cb, &lc, 0);
		loop_sum = lc.acc;
	}
	return 0;
}

SEC("fsession/vfs_write")
int BPF_PROG(write_sess, void *file, const char *buf, __u64 count, void *pos, long ret)
{
	sess_shared_note(ctx, &write_calls);
	if (sess_is_exit(ctx) && ret < 0)
		sess_account(ctx, 1);
	return 0;
}

/* Same subprogram from a kprobe.session program: here the kfunc calls stay. */
SEC("kprobe.session/vfs_write")
int kwrite_sess(struct pt_regs *regs)
{
	sess_shared_note(regs, &kwrite_calls);
	return 0;	/* 0 at entry: also run at return */
}
