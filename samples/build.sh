#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Build every src/X.bpf.c into obj/ (LE and BE, plus -mcpu variants for two
# samples and two libbpf-linked objects), every src/core/X.bpf.c (the CO-RE
# samples, on src/core/vmlinux_core.h) into obj/core/ (LE and BE), then
# sanity-check the results.
#
#   ./build.sh            build + verify
#   CLANG=clang-19 LLVM_OBJDUMP=llvm-objdump-19 BPFTOOL=bpftool ./build.sh
#
# Output is deterministic: the same toolchain gives byte-identical objects, and
# no absolute build path is embedded (DWARF comp_dir and BTF line_info file
# names are relative, thanks to -ffile-prefix-map).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
cd "$HERE"

CLANG="${CLANG:-clang-19}"
LLVM_OBJDUMP="${LLVM_OBJDUMP:-llvm-objdump-19}"
BPFTOOL="${BPFTOOL:-bpftool}"

CFLAGS=(
	-O2 -g -Wall
	-I/usr/include/x86_64-linux-gnu -I/usr/include
	-ffile-prefix-map="$HERE"=.
	-fdebug-prefix-map="$HERE"=.
)

# Samples that also get -mcpu=v1 / v4 builds.
MCPU_SAMPLES=(session_basic session_subprog)
# Samples also built with clang-22 (default -mcpu=v3: ALU32/JMP32 code, other stack slots). Optional: where
# clang-22 is missing the committed *-clang22.o objects are kept as they are.
CLANG22="${CLANG22:-clang-22}"
CLANG22_SAMPLES=(session_basic session_subprog session_asm)

mkdir -p obj obj/core
rm -f obj/core/*.o
if command -v "$CLANG22" >/dev/null 2>&1; then
	have22=1
	rm -f obj/*.o obj/SHA256SUMS
else
	have22=0
	echo "note: $CLANG22 not found; keeping the committed obj/*-clang22.o" >&2
	find obj -name '*.o' ! -name '*-clang22.o' -delete
	rm -f obj/SHA256SUMS
fi

compile() { # compile SRC TARGET OUT [extra flags...]
	local src="$1" target="$2" out="$3"
	shift 3
	echo "  CC  $out"
	"$CLANG" "${CFLAGS[@]}" -target "$target" "$@" -c "$src" -o "$out"
}

shopt -s nullglob
srcs=(src/*.bpf.c)
[[ ${#srcs[@]} -gt 0 ]] || { echo "no sources in src/" >&2; exit 1; }

for src in "${srcs[@]}"; do
	name="$(basename "$src" .bpf.c)"
	compile "$src" bpfel "obj/$name-el.o"
	compile "$src" bpfeb "obj/$name-eb.o"
done

# CO-RE samples: their own small vmlinux-like header instead of common.h/linux headers.
for src in src/core/*.bpf.c; do
	name="$(basename "$src" .bpf.c)"
	compile "$src" bpfel "obj/core/$name-el.o"
	compile "$src" bpfeb "obj/core/$name-eb.o"
done

for name in "${MCPU_SAMPLES[@]}"; do
	compile "src/$name.bpf.c" bpfel "obj/$name-el-v1.o" -mcpu=v1
	compile "src/$name.bpf.c" bpfel "obj/$name-el-v4.o" -mcpu=v4
	compile "src/$name.bpf.c" bpfeb "obj/$name-eb-v4.o" -mcpu=v4
done

if [[ $have22 == 1 ]]; then
	for name in "${CLANG22_SAMPLES[@]}"; do
		CLANG="$CLANG22" compile "src/$name.bpf.c" bpfel "obj/$name-el-clang22.o"
		CLANG="$CLANG22" compile "src/$name.bpf.c" bpfeb "obj/$name-eb-clang22.o"
	done
fi

# libbpf-linked objects (libbpf 1.1 links one input per kfunc-referencing object at a time).
for linked in session_basic session_subprog; do
	echo "  LD  obj/$linked-linked.o"
	"$BPFTOOL" gen object "obj/$linked-linked.o" "obj/$linked-el.o"
done

# ---- verification ----------------------------------------------------------
fail=0
for o in obj/*.o obj/core/*.o; do
	if ! "$LLVM_OBJDUMP" -dr "$o" >/dev/null; then
		echo "FAIL: $LLVM_OBJDUMP -dr $o" >&2
		fail=1
	fi
	if ! "$BPFTOOL" btf dump file "$o" format raw >/dev/null; then
		echo "FAIL: $BPFTOOL btf dump file $o" >&2
		fail=1
	fi
	# libbpf's bpf_object__open (via skeleton generation) on LE objects.
	if [[ "$o" != *-eb*.o ]] && ! "$BPFTOOL" gen skeleton "$o" >/dev/null; then
		echo "FAIL: $BPFTOOL gen skeleton $o" >&2
		fail=1
	fi
	# No absolute build path may leak into DWARF, BTF or string tables.
	if LC_ALL=C grep -a -q -F -e "$HERE" -e "$(dirname "$HERE")" "$o"; then
		echo "FAIL: $o embeds an absolute build path" >&2
		fail=1
	fi
done
[[ $fail -eq 0 ]] || exit 1

(cd obj && sha256sum -- *.o core/*.o > SHA256SUMS)
echo "OK: $(ls obj/*.o obj/core/*.o | wc -l) objects, checksums in obj/SHA256SUMS"
