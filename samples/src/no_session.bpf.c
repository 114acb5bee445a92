// SPDX-License-Identifier: MIT
/*
 * no_session.bpf.c - ordinary programs without any session kfunc.
 *
 * A rewriting tool must leave this object byte-for-byte unchanged (or, if it
 * always re-serialises, semantically unchanged). It has no kfunc symbols at
 * all, but plenty of helper calls (src_reg=0), ld_imm64 map references,
 * bounds checks and a real back-edge.
 *
 * Programs:
 *   xdp                               xdp_count    - per-protocol packet counter
 *   tc                                tc_mark      - sets skb->mark on large packets
 *   tracepoint/syscalls/sys_enter_openat  tp_openat - bounded loop with back-edge
 *   kprobe/do_unlinkat                kp_unlink    - pt_regs read, per-CPU array
 */
#include "common.h"
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} open_hash SEC(".maps");

const volatile __u32 mark_over_len = 1000;
__u32 tc_marked;
__u64 unlinks;
__u32 max_rounds = 16;		/* .data, read at run time: the loop cannot be unrolled */

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	__u32 key = 0;
	__u64 *cnt;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > data_end)
			return XDP_PASS;
		key = ip->protocol;
	}
	cnt = bpf_map_lookup_elem(&proto_count, &key);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	if (skb->len > mark_over_len) {
		skb->mark = 0x42;
		__sync_fetch_and_add(&tc_marked, 1);
	}
	return TC_ACT_OK;
}

/* Layout of /sys/kernel/tracing/events/syscalls/sys_enter_openat/format. */
struct sys_enter_openat_args {
	__u64 common;
	long syscall_nr;
	long dfd;
	const char *filename;
	long flags;
	long mode;
};

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat(struct sys_enter_openat_args *args)
{
	char path[16] = {};
	__u32 hash = 2166136261u;	/* FNV-1a over the first bytes of the path */
	__u64 one = 1, *cnt;
	__u32 i, n = max_rounds;

	if (bpf_probe_read_user_str(path, sizeof(path), args->filename) < 0)
		return 0;
	/* Bounded loop with a real back-edge (no unrolling). */
#pragma clang loop unroll(disable)
	for (i = 0; i < n && i < sizeof(path); i++) {
		if (!path[i])
			break;
		hash = (hash ^ (__u8)path[i]) * 16777619u;
	}
	cnt = bpf_map_lookup_elem(&open_hash, &hash);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&open_hash, &hash, &one, BPF_ANY);
	return 0;
}

SEC("kprobe/do_unlinkat")
int kp_unlink(struct pt_regs *regs)
{
	if ((int)regs->di >= 0)		/* dfd */
		__sync_fetch_and_add(&unlinks, 1);
	return 0;
}
