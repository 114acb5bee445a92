// SPDX-License-Identifier: MIT
/*
 * session_basic.bpf.c - the everyday fsession shape.
 *
 * An fsession program runs twice per traced call: once at function entry and
 * once at exit, with the same ctx (the u64 argument array, plus the return
 * value slot that is 0 at entry). bpf_session_is_return(ctx) tells the two
 * runs apart, and bpf_session_cookie(ctx) returns a pointer to one u64 that
 * the entry run can fill in and the exit run can read back.
 *
 * On Linux 7.0 the verifier inlines both kfunc calls in fsession programs
 * (is_return: 3 insns, cookie: 6 insns). Programs here:
 *   fsession/do_unlinkat      unlink_lat    - both kfuncs, cookie = timestamp
 *   fsession.s/do_sys_openat2 open_fail     - sleepable fsession, both kfuncs
 *   fsession/vfs_fsync_range  fsync_count   - only bpf_session_is_return
 *   fentry/do_unlinkat        unlink_entry  - plain fentry, no kfunc
 *   fexit/do_unlinkat         unlink_exit   - plain fexit, no kfunc
 */
#include "common.h"

extern bool bpf_session_is_return(void *ctx) __ksym;
extern __u64 *bpf_session_cookie(void *ctx) __ksym;

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct lat_stat {
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
};

/* Per-tgid unlink latency statistics (BTF-defined hash map in .maps). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct lat_stat);
} unlink_lat_by_tgid SEC(".maps");

/* Failed opens, indexed by the low 3 bits of the errno (array map). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} open_errors SEC(".maps");

/* .rodata: set by the loader before load, constant for the verifier. */
const volatile __u32 target_tgid = 0;
const volatile __u64 report_over_ns = 1000000;

/* .data: initialised globals. */
int verbose = 1;
__u64 fsync_calls_seen = 0xffffffff;	/* non-zero initialiser => .data */

/* .bss: zero-initialised globals. */
__u64 unlink_entries;
__u64 unlink_exits;
__u64 fentry_hits;
__u64 fexit_errors;
static __u64 last_latency_ns;		/* static: relocated via .bss section symbol */

static __always_inline bool tgid_wanted(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return !target_tgid || tgid == target_tgid;
}

/* int do_unlinkat(int dfd, struct filename *name); the last slot is the return value. */
SEC("fsession/do_unlinkat")
int BPF_PROG(unlink_lat, int dfd, struct filename *name, int ret)
{
	__u64 *cookie = bpf_session_cookie(ctx);
	struct lat_stat *st, zero = {};
	__u64 now, delta;
	__u32 tgid;

	if (!tgid_wanted())
		return 0;

	if (!bpf_session_is_return(ctx)) {
		/* Entry run: remember when we started. */
		*cookie = bpf_ktime_get_ns();
		__sync_fetch_and_add(&unlink_entries, 1);
		return 0;
	}

	/* Exit run: the cookie still holds the entry timestamp. */
	now = bpf_ktime_get_ns();
	delta = now - *cookie;
	last_latency_ns = delta;
	__sync_fetch_and_add(&unlink_exits, 1);

	tgid = bpf_get_current_pid_tgid() >> 32;
	st = bpf_map_lookup_elem(&unlink_lat_by_tgid, &tgid);
	if (!st) {
		bpf_map_update_elem(&unlink_lat_by_tgid, &tgid, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&unlink_lat_by_tgid, &tgid);
		if (!st)
			return 0;
	}
	st->count++;
	st->total_ns += delta;
	if (delta > st->max_ns)
		st->max_ns = delta;

	if (verbose && delta > report_over_ns)
		bpf_printk("unlink %s ret=%d took %llu ns",
			   BPF_CORE_READ(name, name), ret, delta);
	return 0;
}

/*
 * long do_sys_openat2(int dfd, const char __user *filename, struct open_how *how);
 * Sleepable, so bpf_copy_from_user() is allowed. The cookie carries the first
 * 8 bytes of the user-supplied path from entry to exit.
 */
SEC("fsession.s/do_sys_openat2")
int BPF_PROG(open_fail, int dfd, const char *filename, void *how, long ret)
{
	__u64 *cookie = bpf_session_cookie(ctx);
	struct task_struct *task;
	__u32 slot;
	__u64 *cnt;

	if (!bpf_session_is_return(ctx)) {
		if (bpf_copy_from_user(cookie, sizeof(*cookie), filename))
			*cookie = 0;
		return 0;
	}
	if (ret >= 0)
		return 0;

	slot = (__u32)(-ret) & 7;
	cnt = bpf_map_lookup_elem(&open_errors, &slot);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);

	task = (struct task_struct *)bpf_get_current_task();
	/* CO-RE: read through a relocated chain, and probe a missing field. */
	if (verbose && BPF_CORE_READ(task, real_parent, tgid) == 1 &&
	    !bpf_core_field_exists(task->bpffixup_nonexistent))
		bpf_printk("open failed %ld prefix %llx", ret, *cookie);
	return 0;
}

/* int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync); */
SEC("fsession/vfs_fsync_range")
int BPF_PROG(fsync_count, struct file *file, long long start, long long end,
	     int datasync, int ret)
{
	/* Only the exit run counts; no cookie in this one. */
	if (bpf_session_is_return(ctx) && ret == 0)
		__sync_fetch_and_add(&fsync_calls_seen, 1);
	return 0;
}

/* Plain fentry/fexit on the same function: no session kfunc, left alone. */
SEC("fentry/do_unlinkat")
int BPF_PROG(unlink_entry, int dfd, struct filename *name)
{
	/* Reads the static .bss variable written by unlink_lat. */
	if (tgid_wanted() && last_latency_ns < report_over_ns)
		__sync_fetch_and_add(&fentry_hits, 1);
	return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(unlink_exit, int dfd, struct filename *name, int ret)
{
	if (ret < 0)
		__sync_fetch_and_add(&fexit_errors, 1);
	return 0;
}
