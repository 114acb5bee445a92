// SPDX-License-Identifier: MIT
/*
 * core_opensnoop.bpf.c - in the style of bcc's libbpf-tools/opensnoop.bpf.c (written for these samples): the file
 * name and flags read from the tracepoint's args[1] and args[2], the open's result from sys_exit's ret, and the
 * opened file's dentry name through an anonymous union (fentry-free, so it stays a tracepoint program).
 */
#include "vmlinux_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define NAME_MAX 255

struct args_t {
	const char *fname;
	int flags;
};

struct event {
	u64 ts;
	pid_t pid;
	int flags;
	int ret;
	u32 name_len;
	char fname[NAME_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct args_t);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

const volatile pid_t targ_tgid = 0;

SEC("tracepoint/syscalls/sys_enter_openat")
int tracepoint__syscalls__sys_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 pid = id;
	struct args_t args = {};

	if (targ_tgid && (id >> 32) != (u32)targ_tgid)
		return 0;
	args.fname = (const char *)ctx->args[1];
	args.flags = (int)ctx->args[2];
	bpf_map_update_elem(&start, &pid, &args, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tracepoint__syscalls__sys_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	u32 pid = bpf_get_current_pid_tgid();
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct args_t *ap;
	struct event *e;
	int fd;

	ap = bpf_map_lookup_elem(&start, &pid);
	if (!ap)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		goto cleanup;
	fd = ctx->ret;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->flags = ap->flags;
	e->ret = fd;
	e->name_len = 0;
	if (fd >= 0 && fd < 1024) {
		struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
		struct file *f = NULL;

		bpf_core_read(&f, sizeof(f), &fds[fd & 1023]);
		if (f)
			e->name_len = BPF_CORE_READ(f, f_path.dentry, d_name.len);
	}
	bpf_probe_read_user_str(&e->fname, sizeof(e->fname), ap->fname);
	bpf_ringbuf_submit(e, 0);
cleanup:
	bpf_map_delete_elem(&start, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
