// SPDX-License-Identifier: MIT
/*
 * global_shared.bpf.c - the source of GlobalCopyInteropTests: a global (non-static) subprogram reached by an
 * fsession and a kprobe.session program, so patch specialises it (tagged_is_exit__fsession).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* Debian 12's libbpf 1.1.2 bpf_helpers.h has no __arg_ctx: the same definition as samples/src/common.h. */
#ifndef __arg_ctx
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#endif

extern _Bool bpf_session_is_return(void *ctx) __ksym;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

__u64 exits;

__noinline int tagged_is_exit(void *ctx __arg_ctx)
{
	return bpf_session_is_return(ctx);
}

SEC("fsession/vfs_read")
int BPF_PROG(fs_caller, void *file)
{
	if (tagged_is_exit(ctx))
		exits++;
	return 0;
}

SEC("kprobe.session/vfs_read")
int ks_caller(struct pt_regs *regs)
{
	if (tagged_is_exit(regs))
		exits++;
	return 0;
}
