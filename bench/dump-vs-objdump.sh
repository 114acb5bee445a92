#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/dump-vs-objdump.sh [SCALE]
#
# Generates the large benchmark object with samples/bench/gen-large.sh, publishes bpffixup as Native AOT and
# compares `bpffixup dump big.o` with `llvm-objdump-19 -d big.o` (both to /dev/null) with hyperfine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
SCALE="${1:-1}"
work="$(mktemp -d "${TMPDIR:-/tmp}/bpffixup-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$ROOT/samples/bench/gen-large.sh" "$work/big.o" "$SCALE"
dotnet publish "$ROOT/src/BpfFixup.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" >/dev/null

cd "$work"
hyperfine --warmup 3 --runs 20 --style basic --export-markdown "$work/table.md" \
	-n "bpffixup dump" "./aot/bpffixup dump big.o > /dev/null" \
	-n "llvm-objdump-19 -d" "llvm-objdump-19 -d big.o > /dev/null"
echo
cat "$work/table.md"
