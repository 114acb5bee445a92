// SPDX-License-Identifier: MIT
/*
 * stable_labels.bpf.c - the source of SnapshotStabilityTests: the test compiles it as it is, with a comment-only
 * edit (lines added at the top), and with one more branch where the marker below is, and counts the snapshot lines
 * that change. Two fsession programs with several jump targets each; only count_reads gets the new branch.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern _Bool bpf_session_is_return(void *ctx) __ksym;
extern __u64 *bpf_session_cookie(void *ctx) __ksym;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

__u64 reads, big_reads, small_reads, odd_reads, writes, slow_writes;

SEC("fsession/vfs_read")
int BPF_PROG(count_reads, void *file, char *buf, __u64 count)
{
	__u64 *cookie = bpf_session_cookie(ctx);

	/* @BRANCH@ */
	if (!bpf_session_is_return(ctx)) {
		*cookie = bpf_ktime_get_ns();
		return 0;
	}
	reads++;
	if (count > 4096)
		big_reads++;
	else if (count < 16)
		small_reads++;
	if (count & 1)
		odd_reads++;
	if (bpf_ktime_get_ns() - *cookie > 1000000)
		big_reads += 2;
	return 0;
}

SEC("fsession/vfs_write")
int BPF_PROG(count_writes, void *file, const char *buf, __u64 count)
{
	__u64 *cookie = bpf_session_cookie(ctx);

	if (!bpf_session_is_return(ctx)) {
		*cookie = bpf_ktime_get_ns();
		return 0;
	}
	writes++;
	if (count == 0)
		return 0;
	if (bpf_ktime_get_ns() - *cookie > 1000000)
		slow_writes++;
	if (count > 65536)
		slow_writes += 2;
	return 0;
}
