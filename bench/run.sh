#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/run.sh: the product's speed figures, whole-command wall time with hyperfine (Native AOT binary).
#   1. dump vs llvm-objdump-19 -d on a ~200k-slot object          (issue: dump at most half objdump's time)
#   2. patch on ~200k and ~400k slots, and objdump on both          (issue: growth at most 2.2x)
#   3. diff of two ~200k-slot objects differing in six places, and of two ~400k-slot ones (issue: near linear)
# Optional: BDN=1 also runs the BenchmarkDotNet stage benchmarks (bench/BpfFixup.Benchmarks).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
work="$(mktemp -d "${TMPDIR:-/tmp}/bpffixup-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$ROOT/samples/bench/gen-large.sh" "$work/big1.o" 1 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/big2.o" 2 >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/big1v.o" 1 --variant >/dev/null
"$ROOT/samples/bench/gen-large.sh" "$work/big2v.o" 2 --variant >/dev/null
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

if [[ "${BDN:-0}" == 1 ]]; then
	BPFFIXUP_BENCH_OBJECT="$work/big1.o" BPFFIXUP_BENCH_VARIANT="$work/big1v.o" \
		dotnet run -c Release --project "$ROOT/bench/BpfFixup.Benchmarks" -- --filter '*' --job short
fi
