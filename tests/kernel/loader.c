// SPDX-License-Identifier: MIT
/*
 * bpffixup-kernel-loader: runs inside the kernel-tier guest (tests/kernel/guest-init.sh). For one BPF object it
 * loads every program on its own and writes one JSON record:
 *
 *   loader OBJECT OUT.json
 *
 * For each program (libbpf's entry programs, in object order) the object is opened again and every other program
 * gets bpf_program__set_autoload(false), so that one rejected program does not hide the verdicts of the rest.
 * The verifier log comes through bpf_program__set_log_buf(): libbpf loads with log_level 0 and, when the load
 * fails, loads again with log_level 1 into that buffer (libbpf.c, bpf_object_load_prog). What libbpf itself
 * prints at WARN/INFO level is kept apart ("libbpf"), because some objects stop there before the verifier.
 *
 * Accepted programs: the translated instructions are read with bpf_prog_get_info_by_fd() (xlated_prog_insns,
 * the bytes `bpftool prog dump xlated ... file F` writes). Programs whose attach target is bpf_fentry_test<N>
 * are attached (bpf_program__attach) and triggered with BPF_PROG_TEST_RUN (bpf_prog_test_run_opts on the
 * program's own fd: bpf_prog_test_run_tracing calls bpf_fentry_test1..), then every variable of the object's
 * internal data maps (.bss, .data) is read back by name through the object's BTF DATASEC.
 *
 * Linux 7.2 has no do_unlinkat, do_rmdir and do_mkdirat in its BTF; the same prototypes are filename_unlinkat,
 * filename_rmdir and filename_mkdirat, so tracing programs on those targets are retargeted with
 * bpf_program__set_attach_target() and the record says so ("retargetedTo"). kprobes resolve their target only
 * at attach time, so they are loaded as they are.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define LOG_SIZE (16u << 20)
#define LIBBPF_TEXT_SIZE (1u << 20)
#define TEST_RUNS 2

static char *verifier_log;
static char libbpf_text[LIBBPF_TEXT_SIZE];
static size_t libbpf_len;
static FILE *out;

static int collect_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG || libbpf_len >= sizeof(libbpf_text) - 1)
		return 0;
	int n = vsnprintf(libbpf_text + libbpf_len, sizeof(libbpf_text) - libbpf_len, fmt, args);
	if (n > 0)
		libbpf_len += (size_t)n < sizeof(libbpf_text) - libbpf_len ? (size_t)n : sizeof(libbpf_text) - 1 - libbpf_len;
	return 0;
}

static void json_string(const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void json_hex(const void *data, size_t len)
{
	const unsigned char *b = data;
	fputc('"', out);
	for (size_t i = 0; i < len; i++)
		fprintf(out, "%02x", b[i]);
	fputc('"', out);
}

static void take_libbpf_text(void)
{
	libbpf_text[libbpf_len] = '\0';
	json_string(libbpf_text);
	libbpf_len = 0;
	libbpf_text[0] = '\0';
}

/* The part of a section name after its first '/', the attach target of tracing programs. */
static const char *attach_target(const char *section)
{
	const char *slash = strchr(section, '/');
	return slash ? slash + 1 : NULL;
}

static const char *retarget(const char *target)
{
	static const char *const moved[][2] = {
		{ "do_unlinkat", "filename_unlinkat" },
		{ "do_rmdir", "filename_rmdir" },
		{ "do_mkdirat", "filename_mkdirat" },
	};
	for (size_t i = 0; target && i < sizeof(moved) / sizeof(moved[0]); i++)
		if (strcmp(target, moved[i][0]) == 0)
			return moved[i][1];
	return NULL;
}

/*
 * Section kinds new in Linux 7.2 that libbpf 1.7 does not know (libbpf 1.8 does: bpftool 7.8 bundles it), with
 * their program type and expected attach type (include/uapi/linux/bpf.h of 7.2: BPF_TRACE_FENTRY_MULTI = 59,
 * BPF_TRACE_FEXIT_MULTI = 60, BPF_TRACE_FSESSION_MULTI = 61). libbpf 1.7 leaves such programs without a type;
 * the loader gives them the program type, the attach type and the sleepable flag. It sets no BTF attach target:
 * 7.2 refused one for fsession.multi with EINVAL before the verifier, and loaded the program without it (a multi
 * program's targets are given when it is attached, which libbpf 1.7 cannot do: the record shows attachErrno).
 */
static const struct {
	const char *prefix;
	unsigned int attach_type;
} multi_kinds[] = {
	{ "fentry.multi", 59 },
	{ "fexit.multi", 60 },
	{ "fsession.multi", 61 },
};

/* Returns the expected attach type the section names, or 0; *sleepable is set for the ".s" forms. */
static unsigned int multi_kind(const char *section, int *sleepable)
{
	for (size_t i = 0; i < sizeof(multi_kinds) / sizeof(multi_kinds[0]); i++) {
		size_t n = strlen(multi_kinds[i].prefix);
		if (strncmp(section, multi_kinds[i].prefix, n) != 0)
			continue;
		if (section[n] == '/' || section[n] == '\0') {
			*sleepable = 0;
			return multi_kinds[i].attach_type;
		}
		if (strncmp(section + n, ".s", 2) == 0 && (section[n + 2] == '/' || section[n + 2] == '\0')) {
			*sleepable = 1;
			return multi_kinds[i].attach_type;
		}
	}
	return 0;
}

static struct bpf_object *open_object(const char *path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *obj = bpf_object__open_file(path, &opts);
	return obj; /* libbpf 1.x: NULL with errno set on failure */
}

static void write_xlated(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	if (bpf_prog_get_info_by_fd(fd, &info, &len)) {
		fprintf(out, ",\"xlatedErrno\":%d", errno);
		return;
	}
	__u32 size = info.xlated_prog_len;
	void *insns = calloc(1, size ? size : 1);
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = size;
	info.xlated_prog_insns = (__u64)(unsigned long)insns;
	len = sizeof(info);
	if (bpf_prog_get_info_by_fd(fd, &info, &len)) {
		fprintf(out, ",\"xlatedErrno\":%d", errno);
	} else {
		fputs(",\"xlated\":", out);
		json_hex(insns, info.xlated_prog_len < size ? info.xlated_prog_len : size);
	}
	free(insns);
}

static void write_globals(struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	int first = 1;
	fputs(",\"globals\":[", out);
	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		if (!bpf_map__is_internal(map) || !btf || (!strstr(name, ".bss") && !strstr(name, ".data")))
			continue;
		size_t size = bpf_map__value_size(map);
		unsigned char *value = calloc(1, size ? size : 1);
		int key = 0;
		if (bpf_map_lookup_elem(bpf_map__fd(map), &key, value)) {
			free(value);
			continue;
		}
		const struct btf_type *sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (sec && btf_is_datasec(sec)) {
			const struct btf_var_secinfo *vsi = btf_var_secinfos(sec);
			for (int i = 0; i < btf_vlen(sec); i++, vsi++) {
				const struct btf_type *var = btf__type_by_id(btf, vsi->type);
				if (!var || vsi->offset + vsi->size > size)
					continue;
				fputs(first ? "" : ",", out);
				first = 0;
				fputs("{\"map\":", out);
				json_string(name);
				fputs(",\"name\":", out);
				json_string(btf__name_by_offset(btf, var->name_off));
				fputs(",\"value\":", out);
				json_hex(value + vsi->offset, vsi->size);
				fputc('}', out);
			}
		}
		free(value);
	}
	fputc(']', out);
}

static void attach_and_run(struct bpf_object *obj, struct bpf_program *prog)
{
	fputs(",\"run\":{", out);
	struct bpf_link *link = bpf_program__attach(prog);
	if (!link) {
		fprintf(out, "\"attachErrno\":%d,\"libbpf\":", errno);
		take_libbpf_text();
		fputc('}', out);
		return;
	}
	fputs("\"attached\":true,\"runs\":[", out);
	for (int i = 0; i < TEST_RUNS; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, topts);
		int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);
		fprintf(out, "%s{\"errno\":%d,\"retval\":%u}", i ? "," : "", err ? errno : 0, topts.retval);
	}
	fputc(']', out);
	bpf_link__destroy(link);
	write_globals(obj);
	fputc('}', out);
}

/* Loads program number INDEX of PATH on its own and writes its record. */
static void load_one(const char *path, int index)
{
	struct bpf_object *obj = open_object(path);
	if (!obj) {
		fprintf(out, "{\"openErrno\":%d,\"libbpf\":", errno);
		take_libbpf_text();
		fputc('}', out);
		return;
	}
	struct bpf_program *prog, *mine = NULL;
	int i = 0;
	bpf_object__for_each_program(prog, obj) {
		if (i++ == index)
			mine = prog;
		else
			bpf_program__set_autoload(prog, false);
	}
	const char *section = bpf_program__section_name(mine);
	const char *target = attach_target(section);
	/* Only BTF-attached (tracing) programs name a kernel function the verifier resolves at load time. */
	const char *moved = bpf_program__type(mine) == BPF_PROG_TYPE_TRACING ? retarget(target) : NULL;
	fputs("{\"name\":", out);
	json_string(bpf_program__name(mine));
	fputs(",\"section\":", out);
	json_string(section);
	if (moved) {
		fputs(",\"retargetedTo\":", out);
		json_string(moved);
		int err = bpf_program__set_attach_target(mine, 0, moved);
		if (err)
			fprintf(out, ",\"retargetErrno\":%d", -err);
	}
	int sleepable = 0;
	unsigned int multi = bpf_program__type(mine) == BPF_PROG_TYPE_UNSPEC ? multi_kind(section, &sleepable) : 0;
	if (multi) {
		bpf_program__set_type(mine, BPF_PROG_TYPE_TRACING);
		bpf_program__set_expected_attach_type(mine, (enum bpf_attach_type)multi);
		if (sleepable)
			bpf_program__set_flags(mine, bpf_program__flags(mine) | BPF_F_SLEEPABLE);
		fprintf(out, ",\"typeSetByLoader\":\"tracing/%u%s\"", multi, sleepable ? " sleepable" : "");
	}
	verifier_log[0] = '\0';
	bpf_program__set_log_buf(mine, verifier_log, LOG_SIZE);
	int err = bpf_object__load(obj);
	fprintf(out, ",\"loaded\":%s,\"errno\":%d,\"log\":", err ? "false" : "true", err ? -err : 0);
	json_string(verifier_log);
	fputs(",\"libbpf\":", out);
	take_libbpf_text();
	if (!err) {
		write_xlated(bpf_program__fd(mine));
		if (target && strncmp(target, "bpf_fentry_test", 15) == 0)
			attach_and_run(obj, mine);
	}
	fputc('}', out);
	bpf_object__close(obj);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJECT OUT.json\n", argv[0]);
		return 2;
	}
	alarm(120); /* a second bound besides the guest's `timeout`: SIGALRM ends a stuck load */
	verifier_log = calloc(1, LOG_SIZE);
	out = fopen(argv[2], "w");
	if (!verifier_log || !out) {
		perror(argv[2]);
		return 1;
	}
	libbpf_set_print(collect_libbpf_print);
	const char *base = strrchr(argv[1], '/');
	fputs("{\"object\":", out);
	json_string(base ? base + 1 : argv[1]);

	struct bpf_object *obj = open_object(argv[1]);
	if (!obj) {
		fprintf(out, ",\"openErrno\":%d,\"libbpf\":", errno);
		take_libbpf_text();
		fputs(",\"programs\":[]}\n", out);
		return fclose(out) ? 1 : 0;
	}
	int count = 0;
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj)
		count++;
	bpf_object__close(obj);
	libbpf_len = 0;

	fputs(",\"programs\":[", out);
	for (int i = 0; i < count; i++) {
		fputs(i ? ",\n" : "\n", out);
		load_one(argv[1], i);
		fflush(out);
	}
	fputs("]}\n", out);
	return fclose(out) ? 1 : 0;
}
