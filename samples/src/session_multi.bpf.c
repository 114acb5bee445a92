// SPDX-License-Identifier: MIT
/*
 * session_multi.bpf.c - the tracing-multi section kinds of Linux 7.2 / libbpf 1.8
 * (BPF_TRACE_FENTRY_MULTI = 59, BPF_TRACE_FEXIT_MULTI = 60,
 * BPF_TRACE_FSESSION_MULTI = 61): one program attached to many functions.
 *
 * The 7.2 verifier inlines the session kfuncs of an fsession.multi program
 * exactly as for fsession (same bytes, seen on a 7.2 kernel).
 *
 *   fsession.multi/bpf_fentry_test*  multi_sess   - cookie + is_return: inline both
 *   fsession.multi/bpf_fentry_test1  multi_exit   - is_return:          inline
 *   fentry.multi/bpf_fentry_test*    multi_entry  - no session call, returns 0: accept
 *   fexit.multi/bpf_fentry_test*     multi_ret    - no session call, returns 0: accept
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;
extern __u64 *bpf_session_cookie(void *ctx) __ksym;

char LICENSE[] SEC("license") = "GPL";

__u64 multi_entries;
__u64 multi_exits;
__u64 multi_latency;
__u64 multi_calls;

SEC("fsession.multi/bpf_fentry_test*")
int BPF_PROG(multi_sess)
{
	__u64 *cookie = bpf_session_cookie(ctx);

	if (!bpf_session_is_return(ctx)) {
		*cookie = bpf_ktime_get_ns();
		multi_entries++;
		return 0;
	}
	multi_latency += bpf_ktime_get_ns() - *cookie;
	return 0;
}

SEC("fsession.multi/bpf_fentry_test1")
int BPF_PROG(multi_exit)
{
	if (bpf_session_is_return(ctx))
		multi_exits++;
	return 0;
}

SEC("fentry.multi/bpf_fentry_test*")
int BPF_PROG(multi_entry)
{
	multi_calls++;
	return 0;
}

SEC("fexit.multi/bpf_fentry_test*")
int BPF_PROG(multi_ret)
{
	multi_calls++;
	return 0;
}
