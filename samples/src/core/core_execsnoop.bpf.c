// SPDX-License-Identifier: MIT
/*
 * core_execsnoop.bpf.c - in the style of bcc's libbpf-tools/execsnoop.bpf.c (written for these samples): the
 * argv pointer read from the tracepoint's args[] array, the parent's tgid and the task's uid through CO-RE.
 */
#include "vmlinux_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define ARGSIZE 128
#define TASK_COMM_LEN 16

struct event {
	pid_t pid;
	pid_t ppid;
	u32 uid;
	int retval;
	int args_count;
	char comm[TASK_COMM_LEN];
	char arg0[ARGSIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, pid_t);
	__type(value, struct event);
} execs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

static const struct event empty_event = {};

SEC("tracepoint/syscalls/sys_enter_execve")
int tracepoint__syscalls__sys_enter_execve(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	pid_t pid = (pid_t)id, tgid = id >> 32;
	struct task_struct *task;
	const char **args = (const char **)(ctx->args[1]);
	const char *argp;
	struct event *event;

	if (bpf_map_update_elem(&execs, &pid, &empty_event, BPF_NOEXIST))
		return 0;
	event = bpf_map_lookup_elem(&execs, &pid);
	if (!event)
		return 0;

	task = (struct task_struct *)bpf_get_current_task();
	event->pid = tgid;
	event->ppid = BPF_CORE_READ(task, real_parent, tgid);
	event->uid = BPF_CORE_READ(task, real_cred, uid);
	event->args_count = 0;
	if (bpf_probe_read_user(&argp, sizeof(argp), &args[0]) == 0 && argp) {
		bpf_probe_read_user_str(event->arg0, ARGSIZE, argp);
		event->args_count++;
	}
	if (bpf_core_field_exists(task->group_leader))
		event->uid |= (u32)BPF_CORE_READ(task, group_leader, pid) << 31 >> 31;
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int tracepoint__syscalls__sys_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	pid_t pid = (pid_t)id;
	struct event *event;

	event = bpf_map_lookup_elem(&execs, &pid);
	if (!event)
		return 0;
	event->retval = ctx->ret;
	bpf_get_current_comm(&event->comm, sizeof(event->comm));
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, event, sizeof(*event));
	bpf_map_delete_elem(&execs, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
