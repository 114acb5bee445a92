// SPDX-License-Identifier: MIT
/*
 * session_global.bpf.c - global subprograms and the ctx argument.
 *
 * The kernel verifies a global (non-static) subprogram once, on its own, with
 * its arguments typed from BTF (kernel/bpf/btf.c btf_prepare_func_args), not
 * with what the caller passes. A 'void *ctx' parameter is the program's ctx only
 * when it is tagged __arg_ctx (BTF decl tag "arg:ctx"); untagged it is plain
 * memory, and handing it to a session kfunc is rejected.
 *
 *   fsession/vfs_read   tagged_caller    - calls tagged_is_exit(ctx __arg_ctx): inline
 *   fsession/vfs_write  untagged_caller  - calls untagged_is_exit(void *ctx):   reject
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;

__u64 tagged_exits;
__u64 untagged_exits;

__noinline int tagged_is_exit(void *ctx __arg_ctx)
{
	return bpf_session_is_return(ctx);
}

__noinline int untagged_is_exit(void *ctx)
{
	return bpf_session_is_return(ctx);
}

SEC("fsession/vfs_read")
int BPF_PROG(tagged_caller, void *file)
{
	if (tagged_is_exit(ctx))
		tagged_exits++;
	return 0;
}

SEC("fsession/vfs_write")
int BPF_PROG(untagged_caller, void *file)
{
	if (untagged_is_exit(ctx))
		untagged_exits++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
