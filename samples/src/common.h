// SPDX-License-Identifier: MIT
/*
 * common.h - shared includes and minimal kernel type declarations for the
 * BpfFixup samples.
 *
 * There is no vmlinux.h on the build machine, so every kernel structure that a
 * sample touches is declared here by hand with only the fields it needs.
 * preserve_access_index turns every field access into a CO-RE relocation, so
 * the field offsets below are placeholders: libbpf relocates them against the
 * running kernel's BTF at load time.
 *
 * The session kfuncs are NOT declared here on purpose: each sample declares
 * them itself (normal, __weak, or with the old zero-argument prototype).
 */
#ifndef BPFFIXUP_SAMPLES_COMMON_H
#define BPFFIXUP_SAMPLES_COMMON_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#ifndef __cplusplus
typedef _Bool bool;
#define true 1
#define false 0
#endif

/* libbpf >= 1.2 provides these two; libbpf-dev 1.1 on this machine does not. */
#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) ({						\
	_Static_assert(!__builtin_constant_p(!!sym),			\
		       #sym " should be marked as __weak");		\
	!!sym;								\
})
#endif
#ifndef __arg_ctx
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#endif

struct filename {
	const char *name;
	int refcnt;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	/* Does not exist in any kernel: used to show bpf_core_field_exists(). */
	int bpffixup_nonexistent;
} __attribute__((preserve_access_index));

struct file;

/* x86-64 register layout, only the argument registers (CO-RE relocated). */
struct pt_regs {
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long ax;
	unsigned long ip;
} __attribute__((preserve_access_index));

#endif /* BPFFIXUP_SAMPLES_COMMON_H */
