#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/run.sh: the product's speed and memory figures, whole-command wall time with hyperfine, Native AOT binary.
# The format of what it prints, and the limits it checks, are in bench/README.md (issues 8 and 11).
#
#   1. Every command as a ratio to `llvm-objdump-19 -d` on the same object, timed in one hyperfine run per object
#      (dump, check, patch -o, snapshot --check, diff --fixup, diff A B with six differences), at each size of
#      BENCH_SIZES, on objects of each shape of BENCH_SHAPES; then the growth of each command's time per doubling.
#   2. Peak RSS (/usr/bin/time -v) of patch, check, dump --json and check --format sarif on each object, against
#      the limits: patch and check <= 12 x object + 40 MB, dump --json and check --format sarif <= 4 x object + 40 MB.
#   3. (BENCH_ISSUE8=1, default) issue 8's cases: peak RSS on 1M slots (gen-large.sh X 5, and --bad: one error
#      per call site), and diff of two 200k-slot single programs that differ throughout (bounded cost), also with
#      --format stat and --quiet, which compute no diff (issue 12).
#
# Environment:
#   BENCH_SIZES   slot counts among 100k 200k 400k 800k 1.6M (default: "100k 200k 400k"; all five for the issues' table)
#   BENCH_SHAPES  "realistic" (40 programs + .text: 41 code sections at every size) and/or "sections" (one program
#                 section per ~100 slots: 1,000 at 100k ... 16,000 at 1.6M) (default: both)
#   BENCH_RUNS    hyperfine runs per command (default 3; one warm-up each)
#   BPFFIXUP      a bpffixup binary to measure instead of publishing one from this tree
#   BENCH_BASE    a second binary (e.g. an older commit's AOT publish), timed in the same hyperfine runs and
#                 measured beside it, labelled "base"
#   BENCH_ISSUE8  0 to skip section 3
#   BDN=1         also runs the BenchmarkDotNet stage benchmarks (bench/BpfFixup.Benchmarks)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
work="$(mktemp -d "${TMPDIR:-/tmp}/bpffixup-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
GEN="$ROOT/samples/bench/gen-large.sh"
sizes="${BENCH_SIZES:-100k 200k 400k}"
shapes="${BENCH_SHAPES:-realistic sections}"
runs="${BENCH_RUNS:-3}"

scale_of() { # slots label -> gen-large.sh SCALE (1 = ~200k slots)
	case "$1" in
	100k) echo 0.5 ;; 200k) echo 1 ;; 400k) echo 2 ;; 800k) echo 4 ;; 1.6M) echo 8 ;;
	*) echo "bench/run.sh: unknown size '$1' in BENCH_SIZES (100k 200k 400k 800k 1.6M)" >&2; exit 2 ;;
	esac
}
funcs_of() { # shape scale -> --funcs
	case "$1" in
	realistic) echo 40 ;;
	sections) awk -v s="$2" 'BEGIN { printf "%d", s * 2000 }' ;;
	*) echo "bench/run.sh: unknown shape '$1' in BENCH_SHAPES (realistic sections)" >&2; exit 2 ;;
	esac
}

if [[ -n "${BPFFIXUP:-}" ]]; then
	B="$(realpath "$BPFFIXUP")"
else
	dotnet publish "$ROOT/src/BpfFixup.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" >/dev/null
	B="$work/aot/bpffixup"
fi
bins=("new=$B")
[[ -n "${BENCH_BASE:-}" ]] && bins+=("base=$(realpath "$BENCH_BASE")")

cd "$work"
: >objects.tsv
: >rss.tsv
rss() { # rss OBJ LABEL FACTOR CMD...: peak RSS of CMD (KiB) against FACTOR x size(OBJ) + 40 MiB, appended to rss.tsv
	local obj="$1" label="$2" factor="$3"; shift 3
	/usr/bin/time -v "$@" >/dev/null 2>time.txt || true
	local peak; peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' time.txt)
	printf '%s\t%s\t%s\t%s\t%s\n' "$obj" "$(stat -c %s "$obj")" "$label" "$factor" "${peak:-0}" >>rss.tsv
}

for shape in $shapes; do
	for size in $sizes; do
		scale=$(scale_of "$size")
		funcs=$(funcs_of "$shape" "$scale")
		o="$shape-$size.o" v="$shape-$size-v.o"
		# gen-large.sh counts from llvm-objdump-19 -dr: "sections=N insns=N slots=N ...".
		counts=$("$GEN" "$o" "$scale" --funcs "$funcs")
		"$GEN" "$v" "$scale" --funcs "$funcs" --variant >/dev/null
		rm -f "${o%.o}.s" "${v%.o}.s"
		slots=$(sed -n 's/.* slots=\([0-9]*\).*/\1/p' <<<"$counts")
		sections=$(sed -n 's/^sections=\([0-9]*\).*/\1/p' <<<"$counts")
		printf '%s\t%s\t%s\t%s\t%s\n' "$o" "$shape" "$size" "$sections" "$slots" >>objects.tsv
		# -i: diff exits 1 when the objects differ, which they do.
		cmds=(-n "objdump" "llvm-objdump-19 -d $o")
		for b in "${bins[@]}"; do
			label="${b%%=*}" bin="${b#*=}"
			mkdir -p "snap-$label-$o"
			"$bin" snapshot "$o" --dir "snap-$label-$o" --accept >/dev/null
			cmds+=(-n "$label dump" "$bin dump $o"
				-n "$label check" "$bin check $o"
				-n "$label patch -o" "$bin patch $o -o out-$label-$o"
				-n "$label snapshot --check" "$bin snapshot $o --dir snap-$label-$o --check"
				-n "$label diff --fixup" "$bin diff $o --fixup"
				-n "$label diff A B" "$bin diff $o $v")
			rss "$o" "$label patch -o" 12 "$bin" patch "$o" -o "out-$label-$o"
			rss "$o" "$label check" 12 "$bin" check "$o"
			rss "$o" "$label dump --json" 4 "$bin" dump --json "$o"
			rss "$o" "$label check --format sarif" 4 "$bin" check --format sarif "$o"
		done
		hyperfine -N -i --warmup 1 --runs "$runs" --style none --export-json "time-$o.json" "${cmds[@]}" >/dev/null 2>hyperfine.err ||
			{ cat hyperfine.err >&2; exit 1; }
		rm -rf out-*.o snap-*
	done
done

python3 - objects.tsv <<'EOF'
import json, sys
objs = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
commands = None
rows = {}   # (shape, size) -> {command: mean seconds}
for o, shape, size, sections, slots in objs:
    res = json.load(open(f"time-{o}.json"))["results"]
    rows[(shape, size)] = {r["command"]: r["mean"] for r in res}
    rows[(shape, size)]["#"] = (sections, slots)
    commands = [r["command"] for r in res if r["command"] != "objdump"]
print("Time: mean of hyperfine runs; each command as a ratio to llvm-objdump-19 -d on the same object, same run.")
print()
print("| shape | slots | code sections | objdump -d | " + " | ".join(commands) + " |")
print("|---|---:|---:|---:|" + "---:|" * len(commands))
for (shape, size), t in rows.items():
    sections, slots = t["#"]
    print(f"| {shape} | {int(slots):,} | {int(sections):,} | {t['objdump'] * 1000:.0f} ms | "
          + " | ".join(f"{t[c] / t['objdump']:.2f}x" for c in commands) + " |")
print()
print("Growth per doubling: time at this size / time at the size before (limit 2.1x).")
print()
print("| shape | slots | objdump -d | " + " | ".join(commands) + " |")
print("|---|---:|---:|" + "---:|" * len(commands))
prev = {}
for (shape, size), t in rows.items():
    if shape in prev:
        p = prev[shape]
        print(f"| {shape} | {int(p['#'][1]):,} -> {int(t['#'][1]):,} | {t['objdump'] / p['objdump']:.2f}x | "
              + " | ".join(f"{t[c] / p[c]:.2f}x" for c in commands) + " |")
    prev[shape] = t
EOF

if [[ "${BENCH_ISSUE8:-1}" == 1 ]]; then
	"$GEN" big5.o 5 >/dev/null
	"$GEN" bad5.o 5 --bad >/dev/null
	"$GEN" one1.o 1 --funcs 1 >/dev/null
	"$GEN" one2.o 1 --funcs 1 --seed 7 >/dev/null
	rm -f ./*.s
	for b in "${bins[@]}"; do
		label="${b%%=*}" bin="${b#*=}"
		for o in big5.o bad5.o; do
			rss "$o" "$label patch -o" 12 "$bin" patch "$o" -o "out-$label-$o"
			rss "$o" "$label check" 12 "$bin" check "$o"
			rss "$o" "$label dump --json" 4 "$bin" dump --json "$o"
			rss "$o" "$label check --format sarif" 4 "$bin" check --format sarif "$o"
		done
		rm -f out-*.o
	done
fi

echo
echo "Peak RSS (/usr/bin/time -v; MB = MiB) against the limit FACTOR x object size + 40 MB."
echo
python3 - rss.tsv <<'EOF'
import sys
print("| object | size | command | peak RSS | limit | |")
print("|---|---:|---|---:|---:|---|")
for line in open(sys.argv[1]):
    obj, size, label, factor, peak = line.rstrip("\n").split("\t")
    size, factor, peak = int(size), int(factor), int(peak) * 1024
    limit = factor * size + 40 * 1048576
    verdict = "PASS" if 0 < peak <= limit else "FAIL"
    print(f"| {obj} | {size / 1048576:.1f} MB | {label} | {peak / 1048576:.1f} MB | {limit / 1048576:.1f} MB ({factor} x + 40) | {verdict} |")
EOF

if [[ "${BENCH_ISSUE8:-1}" == 1 ]]; then
	echo
	# A program that differs throughout (diff exits 1): bounded cost, as GNU diff and xdiff bound theirs;
	# --format stat and --quiet compare without computing the diff (issue 12).
	hyperfine -N -i --warmup 1 --runs "$runs" --style basic --export-markdown diff.md \
		-n "bpffixup diff one1.o one2.o (200k slots, different throughout)" "$B diff one1.o one2.o" \
		-n "bpffixup diff one1.o one2.o --format stat" "$B diff one1.o one2.o --format stat" \
		-n "bpffixup diff one1.o one2.o --quiet" "$B diff one1.o one2.o --quiet" >/dev/null 2>hyperfine.err ||
		{ cat hyperfine.err >&2; exit 1; }
	cat diff.md
fi

if [[ "${BDN:-0}" == 1 ]]; then
	"$GEN" "$work/big1.o" 1 >/dev/null
	"$GEN" "$work/big1v.o" 1 --variant >/dev/null
	BPFFIXUP_BENCH_OBJECT="$work/big1.o" BPFFIXUP_BENCH_VARIANT="$work/big1v.o" \
		dotnet run -c Release --project "$ROOT/bench/BpfFixup.Benchmarks" -- --filter '*' --job short
fi
