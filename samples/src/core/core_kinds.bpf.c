// SPDX-License-Identifier: MIT
/*
 * core_kinds.bpf.c - one CO-RE relocation of every kind llvm-objdump names (enum bpf_core_relo_kind,
 * tools/lib/bpf/relo_core.h), over the shapes of vmlinux_core.h: array indices in the access path (on the root
 * pointer and inside a struct), nested anonymous structs and unions, typedefs, const/volatile, bitfields, and
 * 32- and 64-bit enums (signed, unsigned, bit 31 set). dump prints each as llvm-objdump-19 -dr does.
 */
#include "vmlinux_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

__u64 out[64];

SEC("tp_btf/sched_process_exec")
int BPF_PROG(field_kinds, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct sock *sk = (struct sock *)bprm->file;
	struct task_struct *t = p;

	/* byte_off: plain, through a pointer member, an array element inside a struct, the root pointer's index */
	out[0] = t->pid;
	out[1] = BPF_CORE_READ(t, real_parent, tgid);
	out[2] = bpf_core_field_offset(t->comm[3]);
	out[3] = bpf_core_field_offset(sk->__sk_common.skc_v6_daddr[1].s6_addr32[2]);
	out[4] = bpf_core_field_offset(t[2].exit_code);
	/* byte_sz, field_exists, signed */
	out[5] = bpf_core_field_size(sk->__sk_common.skc_family);
	out[6] = bpf_core_field_exists(struct task_struct, exit_code);
	out[7] = __builtin_preserve_field_info(sk->sk_signed_bits, BPF_FIELD_SIGNED);
	out[8] = __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED);
	/* anonymous union and struct members, nested */
	out[9] = bpf_core_field_offset(sk->__sk_common.skc_dport);
	out[10] = bpf_core_field_offset(sk->__sk_common.skc_rcv_saddr);
	out[11] = bpf_core_field_offset(bprm->file->f_path.dentry->d_name.len);
	out[12] = bpf_core_field_offset(t->signal->leader);
	/* typedef'd member type (atomic_t), const and volatile members */
	out[13] = bpf_core_field_offset(sk->sk_drops.counter);
	out[14] = bpf_core_field_size(t->__state);
	out[15] = bpf_core_field_offset(t->real_cred->uid);
	/* bitfields: lshift_u64, rshift_u64 (and byte_off/byte_sz/signed) */
	out[16] = BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuse);
	out[17] = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_kern_sock);
	out[18] = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_signed_bits);
	out[19] = BPF_CORE_READ_BITFIELD(t, in_iowait);
	/* the field of a typedef'd struct, through the typedef */
	out[20] = bpf_core_field_offset(task_t, tgid);
	out[21] = bpf_core_field_exists(((task_t *)t)->children.prev);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(type_kinds, struct task_struct *p)
{
	/* local_type_id, target_type_id */
	out[22] = bpf_core_type_id_local(struct task_struct);
	out[23] = bpf_core_type_id_kernel(struct sock);
	out[24] = bpf_core_type_id_local(task_t);
	out[25] = bpf_core_type_id_kernel(const volatile struct cred);
	/* type_exists, type_size, type_matches: struct, union member type, typedefs, enums, pointer typedef */
	out[26] = bpf_core_type_exists(struct linux_binprm);
	out[27] = bpf_core_type_size(struct trace_event_raw_sys_enter);
	out[28] = bpf_core_type_matches(struct sock_common);
	out[29] = bpf_core_type_exists(tcp_state_t);
	out[30] = bpf_core_type_size(enum cgroup_bits_core);
	out[31] = bpf_core_type_matches(atomic_t);
	out[32] = bpf_core_type_size(u64);
	out[33] = bpf_core_type_exists(const_sock_ptr);
	out[34] = bpf_core_type_matches(const volatile task_t);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(enum_kinds, bool preempt)
{
	/* enumval_exists, enumval_value: 32-bit unsigned, signed, bit 31 set; 64-bit unsigned and signed; typedef */
	out[37] = bpf_core_enum_value_exists(enum tcp_state_core, TCP_SYN_SENT);
	out[38] = bpf_core_enum_value(enum tcp_state_core, TCP_CLOSE);
	out[39] = bpf_core_enum_value(enum sock_err_core, SOCK_ERR_AGAIN);
	out[40] = bpf_core_enum_value(enum high_bit_core, HIGH_TOP);
	out[41] = bpf_core_enum_value_exists(enum cgroup_bits_core, CG_BIT_HIGH);
	out[42] = bpf_core_enum_value(enum cgroup_bits_core, CG_BIT_ALL);
	out[43] = bpf_core_enum_value(enum wide_signed_core, WIDE_MIN);
	out[44] = bpf_core_enum_value(tcp_state_t, TCP_ESTABLISHED);
	return 0;
}
