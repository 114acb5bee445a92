// SPDX-License-Identifier: MIT
/*
 * session_runtime.bpf.c - an fsession program to attach and run.
 *
 * bpf_fentry_test1(int a) { return a + 1; } (net/bpf/test_run.c) is what BPF_PROG_TEST_RUN on a tracing program
 * calls (bpf_prog_test_run_tracing, with a = 1), so this program can be attached and triggered in a test
 * kernel without any workload. Each run records into globals what it saw:
 *   - how often the entry run and the exit run happened;
 *   - bpf_session_is_return(ctx) in each run;
 *   - the session cookie: the entry run stores a value through bpf_session_cookie(ctx), the exit run reads
 *     it back through its own bpf_session_cookie(ctx);
 *   - bpf_get_func_arg(ctx, 0), bpf_get_func_ret(ctx) and bpf_get_func_ip(ctx) at both ends.
 * The kernel tier (tests/BpfFixup.Tests/Kernel) reads the globals back after the runs.
 *
 * Programs:
 *   fsession/bpf_fentry_test1   sess_test1   - both kfuncs and the three func_* helpers
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;
extern __u64 *bpf_session_cookie(void *ctx) __ksym;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* What the entry run stores in the cookie: a tag in the high half, the run number in the low half. */
#define COOKIE_TAG 0x5e55000000000000ULL
#define UNSET 0xffffffffffffffffULL

__u64 entry_runs;
__u64 exit_runs;
/* .data: all-ones until a run writes them, so a value of 0 is a recorded 0. */
__u64 entry_is_return = UNSET;
__u64 exit_is_return = UNSET;
__u64 cookie_at_exit = UNSET;
__u64 arg0_at_entry = UNSET;
__u64 arg0_at_exit = UNSET;
__u64 ret_at_entry = UNSET;
__u64 ret_at_exit = UNSET;
__u64 ip_at_entry = UNSET;
__u64 ip_at_exit = UNSET;

SEC("fsession/bpf_fentry_test1")
int sess_test1(void *ctx)
{
	__u64 *cookie = bpf_session_cookie(ctx);
	bool is_return = bpf_session_is_return(ctx);
	__u64 arg0 = UNSET, ret = UNSET;

	bpf_get_func_arg(ctx, 0, &arg0);
	bpf_get_func_ret(ctx, &ret);
	if (!is_return) {
		entry_runs++;
		entry_is_return = is_return;
		arg0_at_entry = arg0;
		ret_at_entry = ret;
		ip_at_entry = bpf_get_func_ip(ctx);
		*cookie = COOKIE_TAG | entry_runs;
	} else {
		exit_runs++;
		exit_is_return = is_return;
		arg0_at_exit = arg0;
		ret_at_exit = ret;
		ip_at_exit = bpf_get_func_ip(ctx);
		cookie_at_exit = *cookie;
	}
	return 0;
}
