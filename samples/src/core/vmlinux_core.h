/* SPDX-License-Identifier: MIT */
/*
 * vmlinux_core.h - a small hand-written stand-in for a generated vmlinux.h, with the shapes the CO-RE samples
 * need: nested anonymous structs and unions, arrays of structs, bitfields, typedefs, const/volatile members,
 * 32-bit enums (unsigned, signed, with bit 31 set) and 64-bit enums. Like bpftool's vmlinux.h, every struct and
 * union carries preserve_access_index, so plain member accesses become CO-RE relocations.
 *
 * Field offsets and enum values are placeholders: libbpf relocates them against the running kernel's BTF.
 */
#ifndef BPFFIXUP_SAMPLES_VMLINUX_CORE_H
#define BPFFIXUP_SAMPLES_VMLINUX_CORE_H

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef int pid_t;
typedef _Bool bool;

enum {
	false = 0,
	true = 1,
};

/* The few uapi constants the samples use (include/uapi/linux/bpf.h). */
enum bpf_map_type {
	BPF_MAP_TYPE_UNSPEC = 0,
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
};

#define BPF_F_CURRENT_CPU 0xffffffffULL

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

struct dentry {
	unsigned int d_flags;
	struct dentry *d_parent;
	struct qstr d_name;
};

struct path {
	void *mnt;
	struct dentry *dentry;
};

struct file {
	union {
		struct list_head f_list;
		void *f_task_work;
	};
	struct path f_path;
	unsigned int f_flags;
	unsigned int f_mode;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	int count;
	struct fdtable *fdt;
};

typedef struct {
	int counter;
} atomic_t;

struct sock_common {
	union {
		__u64 skc_addrpair;
		struct {
			__u32 skc_daddr;
			__u32 skc_rcv_saddr;
		};
	};
	union {
		__u32 skc_portpair;
		struct {
			__u16 skc_dport;
			__u16 skc_num;
		};
	};
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse : 4;
	unsigned char skc_reuseport : 1;
	unsigned char skc_ipv6only : 1;
	unsigned char skc_net_refcnt : 1;
	int skc_bound_dev_if;
	struct {
		__u32 s6_addr32[4];
	} skc_v6_daddr[2];
};

struct sock {
	struct sock_common __sk_common;
	atomic_t sk_drops;
	int sk_rcvlowat;
	unsigned int sk_padding : 1, sk_kern_sock : 1, sk_no_check_tx : 1;
	signed int sk_signed_bits : 5;
	unsigned short sk_type;
	unsigned short sk_protocol;
};

struct signal_struct {
	atomic_t live;
	int nr_threads;
	struct {
		int tty_old_pgrp;
		int leader;
	};
};

struct task_struct {
	volatile long __state;
	unsigned int flags;
	pid_t pid;
	pid_t tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct files_struct *files;
	struct signal_struct *signal;
	const struct cred *real_cred;
	u64 start_time;
	struct {
		unsigned int in_execve : 1;
		unsigned int in_iowait : 1;
	};
	int exit_code;
	struct list_head children;
};

struct cred {
	unsigned int uid;
	unsigned int gid;
};

struct linux_binprm {
	struct file *file;
	const char *filename;
	int argc;
};

struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

struct trace_event_raw_sys_enter {
	struct trace_entry ent;
	long id;
	unsigned long args[6];
	char __data[0];
};

struct trace_event_raw_sys_exit {
	struct trace_entry ent;
	long id;
	long ret;
	char __data[0];
};

/* 32-bit enums: unsigned, signed (negative enumerator), and unsigned with bit 31 set. */
enum tcp_state_core {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT = 2,
	TCP_CLOSE = 7,
};

enum sock_err_core {
	SOCK_ERR_NONE = 0,
	SOCK_ERR_AGAIN = -11,
};

enum high_bit_core {
	HIGH_LOW = 1,
	HIGH_TOP = 0x80000000u,
};

/* 64-bit enums (BTF_KIND_ENUM64): unsigned and signed. */
enum cgroup_bits_core {
	CG_BIT_LOW = 1ULL,
	CG_BIT_HIGH = 1ULL << 40,
	CG_BIT_ALL = 0xffffffffffffffffULL,
};

enum wide_signed_core {
	WIDE_MIN = -0x100000000LL,
	WIDE_ZERO = 0,
};

typedef enum tcp_state_core tcp_state_t;
typedef struct task_struct task_t;
typedef const struct sock *const_sock_ptr;

#pragma clang attribute pop

#endif
