#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Targeted mutations beside AFL++: fuzz/mutate.py writes COUNT mutants of a little-endian sample (call imms and
# registers, relocation offsets/symbols/types, symbol values/sizes/sections/bindings, jump offsets, section names,
# flags, types and links) and the uninstrumented harness replays them with every invariant of fuzz/BpfFixup.Fuzz
# (no crash, check agrees with patch, the patched output passes the self-check and check, patching is a fixed point).
#
#   fuzz/mutate.sh [BATCHES] [COUNT]   (default 8 batches of 2000 mutants; output in ${TMPDIR:-/tmp}/bpffixup-mutate)
#
# A failing mutant is copied to found/ there; keep it with the harness's --hex writer (README, "Fuzzing").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
batches="${1:-8}" count="${2:-2000}"
out="${TMPDIR:-/tmp}/bpffixup-mutate"
mkdir -p "$out/found"
dotnet build "$ROOT/fuzz/BpfFixup.Fuzz" -c Release -o "$out/bin" >/dev/null
samples=(session_subprog-el.o session_subprog-el-v4.o session_subprog-el-clang22.o session_subprog-el-v1.o
	session_multi-el.o session_global-el.o session_basic-el.o)
failed=0
for ((b = 0; b < batches; b++)); do
	obj="${samples[b % ${#samples[@]}]}"
	rm -rf "$out/cur"
	python3 "$ROOT/fuzz/mutate.py" "$ROOT/samples/obj/$obj" "$out/cur" "$count" "$((1000 + b))"
	rc=0
	(cd "$out" && dotnet bin/BpfFixup.Fuzz.dll cur > cur.txt 2>&1) || rc=$?
	echo "batch $b: $obj seed $((1000 + b)): $(tail -1 "$out/cur.txt")"
	while read -r f; do cp "$out/$f" "$out/found/"; failed=1; done < <(grep -o '^cur/[^:]*' "$out/cur.txt" | sort -u)
	[[ $rc == 0 ]] || failed=1
done
exit "$failed"
