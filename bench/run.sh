#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/run.sh: the product's speed figures, whole-command wall time with hyperfine (Native AOT binary).
#   1. dump vs llvm-objdump-19 -d on a ~200k-slot object          (issue: dump at most half objdump's time)
#   2. patch on ~200k and ~400k slots, and objdump on both          (issue: growth at most 2.2x)
#   3. diff of two ~200k-slot objects differing in six places, and of two ~400k-slot ones (issue: near linear)
#   4. diff of two ~200k-slot single programs that differ throughout (issue 8: bounded cost, was > 120 s), and
#      the same with --format stat and --quiet, which compute no diff (issue 12)
#   5. dump/check/patch/snapshot on ~1k and ~8k code sections of ~200k slots, against llvm-objdump-19 -d
#      (issue 8: linear in sections)
#   6. peak RSS (/usr/bin/time -v) of dump --json and check --format sarif on ~1M slots, against the
#      limit 4 x object size + 40 MB (issue 8)
# Optional: BDN=1 also runs the BenchmarkDotNet stage benchmarks (bench/BpfFixup.Benchmarks).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
work="$(mktemp -d "${TMPDIR:-/tmp}/bpffixup-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$ROOT/samples/bench/gen-large.sh" "$work/big1.o" 1 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/big2.o" 2 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/big1v.o" 1 --variant >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/big2v.o" 2 --variant >/dev/null
# 4-6: one program differing throughout; many sections; 1M slots (one error per call site for SARIF).
"$ROOT/samples/bench/gen-large.sh" "$work/one1.o" 1 --funcs 1 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/one2.o" 1 --funcs 1 --seed 7 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/sec1k.o" 1 --funcs 1000 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/sec8k.o" 1 --funcs 8300 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/big5.o" 5 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/bad5.o" 5 --bad >/dev/null
dotnet publish "$ROOT/src/BpfFixup.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" >/dev/null

cd "$work"
B=./aot/bpffixup
for f in big1.o big2.o; do
	slots=$(llvm-objdump-19 -d "$f" | grep -cE '^ +[0-9]+:')
	sites=$(llvm-objdump-19 -dr "$f" | grep -cE 'R_BPF_64_32\s+bpf_session_')
	echo "$f: $slots instructions, $sites session kfunc calls (llvm-objdump-19)"
done
# -i: diff exits 1 when the objects differ, which they do.
hyperfine -N -i --warmup 3 --runs 15 --style basic --export-markdown "$work/table.md" \
	-n "bpffixup dump big1.o" "$B dump big1.o" \
	-n "llvm-objdump-19 -d big1.o" "llvm-objdump-19 -d big1.o" \
	-n "bpffixup patch big1.o" "$B patch big1.o -o out1.o" \
	-n "bpffixup patch big2.o" "$B patch big2.o -o out2.o" \
	-n "llvm-objdump-19 -d big2.o" "llvm-objdump-19 -d big2.o" \
	-n "bpffixup check big1.o" "$B check big1.o" \
	-n "bpffixup diff big1.o big1v.o" "$B diff big1.o big1v.o" \
	-n "bpffixup diff big2.o big2v.o" "$B diff big2.o big2v.o" >/dev/null
cat "$work/table.md"

# 4. A program that differs throughout (diff exits 1); --format stat and --quiet compare without diffing (issue 12).
hyperfine -N -i --warmup 1 --runs 5 --style basic --export-markdown "$work/diff.md" \
	-n "bpffixup diff one1.o one2.o (200k slots, different throughout)" "$B diff one1.o one2.o" \
	-n "bpffixup diff one1.o one2.o --format stat" "$B diff one1.o one2.o --format stat" \
	-n "bpffixup diff one1.o one2.o --quiet" "$B diff one1.o one2.o --quiet" >/dev/null
cat "$work/diff.md"

# 5. Many sections: time should follow the slots, not the square of the sections.
for f in sec1k.o sec8k.o; do
	mkdir -p "snap-$f"
	"$B" snapshot "$f" --dir "snap-$f" --accept >/dev/null
	echo "$f: $(llvm-objdump-19 -d "$f" | grep -c '^Disassembly of section') code sections"
done
hyperfine -N -i --warmup 1 --runs 5 --style basic --export-markdown "$work/sections.md" \
	-n "llvm-objdump-19 -d sec1k.o" "llvm-objdump-19 -d sec1k.o" \
	-n "bpffixup dump sec1k.o" "$B dump sec1k.o" \
	-n "bpffixup check sec1k.o" "$B check sec1k.o" \
	-n "bpffixup patch sec1k.o" "$B patch sec1k.o -o p1k.o" \
	-n "bpffixup snapshot --check sec1k.o" "$B snapshot sec1k.o --dir snap-sec1k.o --check" \
	-n "llvm-objdump-19 -d sec8k.o" "llvm-objdump-19 -d sec8k.o" \
	-n "bpffixup dump sec8k.o" "$B dump sec8k.o" \
	-n "bpffixup check sec8k.o" "$B check sec8k.o" \
	-n "bpffixup patch sec8k.o" "$B patch sec8k.o -o p8k.o" \
	-n "bpffixup snapshot --check sec8k.o" "$B snapshot sec8k.o --dir snap-sec8k.o --check" >/dev/null
cat "$work/sections.md"

# 6. Peak memory of the streamed outputs.
rss() { # rss LABEL CMD...: prints the peak RSS of CMD (stdout discarded)
	local label="$1"; shift
	/usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
	echo "$label: $(awk -F': ' '/Maximum resident set size/ {printf "%.1f MB", $2 / 1024}' "$work/time.txt")"
}
bound() { # bound LABEL OBJ CMD...: peak RSS of CMD against 4 x the size of OBJ + 40 MB (MB = MiB, as time -v counts KiB)
	local label="$1" obj="$2"; shift 2
	local limit=$(( ($(stat -c %s "$obj") * 4 + 40 * 1048576) / 1024 ))
	/usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
	local peak; peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
	local verdict=FAIL; [[ -n "$peak" ]] && (( peak <= limit )) && verdict=PASS
	awk -v l="$label" -v p="$peak" -v m="$limit" -v v="$verdict" 'BEGIN { printf "%s: %s peak %.1f MB, limit %.1f MB (4 x object + 40 MB)\n", l, v, p / 1024, m / 1024 }'
}
bound "bpffixup dump --json big5.o" big5.o "$B" dump --json big5.o
bound "bpffixup check --format sarif bad5.o" bad5.o "$B" check --format sarif bad5.o
bound "bpffixup check --format sarif big5.o" big5.o "$B" check --format sarif big5.o
rss "bpffixup dump big5.o" "$B" dump big5.o
rss "bpffixup check big5.o" "$B" check big5.o
rss "bpffixup patch big5.o" "$B" patch big5.o -o p5.o

if [[ "${BDN:-0}" == 1 ]]; then
	BPFFIXUP_BENCH_OBJECT="$work/big1.o" BPFFIXUP_BENCH_VARIANT="$work/big1v.o" \
		dotnet run -c Release --project "$ROOT/bench/BpfFixup.Benchmarks" -- --filter '*' --job short
fi
