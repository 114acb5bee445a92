// SPDX-License-Identifier: MIT
/*
 * core_tcpconnect.bpf.c - in the style of bcc's libbpf-tools/tcpconnect.bpf.c and tcpstates.bpf.c (written for
 * these samples): a connecting socket's addresses and ports from the anonymous unions of struct sock_common, its
 * state compared with enum values relocated by CO-RE, and the IPv6 address from an array of structs.
 */
#include "vmlinux_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define AF_INET 2
#define AF_INET6 10

struct event {
	u32 saddr_v4;
	u32 daddr_v4;
	u32 daddr_v6[4];
	u16 dport;
	u16 lport;
	u16 family;
	u8 state;
	u8 reuse;
	u64 bits;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tcp_set_state, const struct sock *sk, int oldstate, int newstate)
{
	struct event *e;
	u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (newstate != bpf_core_enum_value(enum tcp_state_core, TCP_SYN_SENT))
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->family = family;
	e->dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	e->reuse = BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuse);
	if (family == AF_INET) {
		e->saddr_v4 = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		e->daddr_v4 = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&e->daddr_v6, sk, __sk_common.skc_v6_daddr[0].s6_addr32);
	}
	if (bpf_core_enum_value_exists(enum cgroup_bits_core, CG_BIT_HIGH))
		e->bits = bpf_core_enum_value(enum cgroup_bits_core, CG_BIT_HIGH);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
