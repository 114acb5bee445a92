// SPDX-License-Identifier: MIT
/*
 * helpers_tracing.bpf.c - the tracing helpers the kernel inlines in do_misc_fixups (kernel/bpf/verifier.c) for
 * BPF_PROG_TYPE_TRACING, in the attach types that choose between their sequences. `--kernel-inlines` performs the
 * same inlines; the kernel tier compares the result with Linux 7.2's xlated stream of each program.
 *
 * Programs (all on bpf_fentry_test1(int a) { return a + 1; }, which BPF_PROG_TEST_RUN calls):
 *   fentry/bpf_fentry_test1          h_fentry        - get_func_ret has no value here: r0 = -EOPNOTSUPP
 *   fexit/bpf_fentry_test1           h_fexit         - all four helpers; get_func_ret's 7 instructions
 *   fmod_ret/bpf_modify_return_test  h_fmod_ret      - get_func_ret's 7 instructions
 *   fentry.multi/bpf_fentry_test1    h_fentry_multi  - BPF_TRACE_FENTRY_MULTI: like fentry
 *   fexit.multi/bpf_fentry_test1     h_fexit_multi   - BPF_TRACE_FEXIT_MULTI: like fexit (seen in 7.2)
 *   fsession.multi/bpf_fentry_test1  h_fsess_multi   - BPF_TRACE_FSESSION_MULTI: like fsession (seen in 7.2)
 * No maps, so with --kernel-inlines the patched programs are the kernel's xlated streams but for the
 * ld_imm64 of the global `seen` (the map's id).
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;

char LICENSE[] SEC("license") = "GPL";

__u64 seen[16];

SEC("fentry/bpf_fentry_test1")
int BPF_PROG(h_fentry)
{
	__u64 ret = 0;

	seen[0] = bpf_get_func_ret(ctx, &ret);
	seen[1] = bpf_get_func_arg_cnt(ctx);
	return 0;
}

SEC("fexit/bpf_fentry_test1")
int BPF_PROG(h_fexit)
{
	__u64 arg = 0, ret = 0;
	long err;

	err = bpf_get_func_arg(ctx, 0, &arg);
	if (err)
		return 0;
	bpf_get_func_ret(ctx, &ret);
	seen[2] = arg + ret + bpf_get_func_arg_cnt(ctx);
	seen[3] = bpf_get_func_ip(ctx);
	return 0;
}

SEC("fmod_ret/bpf_modify_return_test")
int BPF_PROG(h_fmod_ret)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	seen[4] = ret;
	return 0;
}

SEC("fentry.multi/bpf_fentry_test1")
int BPF_PROG(h_fentry_multi)
{
	__u64 ret = 0;

	seen[5] = bpf_get_func_ret(ctx, &ret);
	seen[6] = bpf_get_func_ip(ctx);
	return 0;
}

SEC("fexit.multi/bpf_fentry_test1")
int BPF_PROG(h_fexit_multi)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	seen[7] = ret;
	return 0;
}

SEC("fsession.multi/bpf_fentry_test1")
int BPF_PROG(h_fsess_multi)
{
	__u64 ret = 0, arg = 0;

	bpf_get_func_ret(ctx, &ret);
	bpf_get_func_arg(ctx, 0, &arg);
	if (bpf_session_is_return(ctx))
		seen[8] = ret + arg;
	return 0;
}
