// SPDX-License-Identifier: MIT
/*
 * ctx_args.bpf.c - what a tracing program may read from its ctx depends on the target's prototype in the kernel's
 * BTF (kernel/bpf/btf.c btf_ctx_access), and a tp_btf program's bpf_get_func_arg / bpf_get_func_arg_cnt on the
 * tracepoint's (kernel/bpf/verifier.c do_misc_fixups, BPF_TRACE_RAW_TP: nr_args of the btf_trace_<tp> typedef's
 * prototype, less its first 'void *__data'). Neither is known from the object alone: `check --kernel-btf` and
 * `--kernel-inlines --kernel-btf` know them.
 *
 * Programs (Linux 7.2: int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags), 4 arguments;
 * btf_trace_sched_switch(void *, bool preempt, struct task_struct *prev, struct task_struct *next,
 * unsigned int prev_state)):
 *   fsession/tcp_recvmsg  args_sixth     - reads ctx[5]: "func 'tcp_recvmsg' doesn't have 6-th argument"
 *   fentry/tcp_recvmsg    args_ret_slot  - reads ctx[4], the return value's slot, which fentry does not have
 *   fsession/tcp_recvmsg  args_in_range  - reads flags (ctx[3]) and at exit the return value (ctx[4]): accepted
 *   tp_btf/sched_switch   tp_func_args   - bpf_get_func_arg_cnt and bpf_get_func_arg: r0 = 4 in 7.2's xlated
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;

char LICENSE[] SEC("license") = "GPL";

__u64 seen[8];

SEC("fsession/tcp_recvmsg")
int args_sixth(__u64 *ctx)
{
	if (!bpf_session_is_return(ctx))
		seen[0] = ctx[5];
	return 0;
}

SEC("fentry/tcp_recvmsg")
int args_ret_slot(__u64 *ctx)
{
	seen[1] = ctx[4];
	return 0;
}

SEC("fsession/tcp_recvmsg")
int args_in_range(__u64 *ctx)
{
	if (bpf_session_is_return(ctx))
		seen[2] = ctx[4];
	else
		seen[3] = ctx[3];
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tp_func_args)
{
	__u64 prev = 0;

	seen[4] = bpf_get_func_arg_cnt(ctx);
	if (bpf_get_func_arg(ctx, 1, &prev) == 0)
		seen[5] = prev;
	return 0;
}
