#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# gen-large.sh OUT.o [SCALE] [--variant] [--seed N] [--funcs F] [--bad]
#
# Generates OUT.s with gen_large.py and assembles it with llvm-mc into a large
# BPF object for benchmarks: 40 "fsession/func_N" programs + 8 static .text
# subprograms, >= 200,000 instruction slots and >= 20,000 session-kfunc call
# sites at SCALE 1 (SCALE 2 = twice as many slots). --variant produces an
# object that differs from the default one in six places (diff benchmark).
# --funcs F spreads the slots over F program sections instead of 40
# (--funcs 8000: many small sections; --funcs 1: one huge program).
# --bad passes r7 instead of ctx to every session kfunc (one error each: SARIF benchmark).
# Output is deterministic for a given SCALE/--variant/--seed.
# The object has no .BTF/.BTF.ext (llvm-mc does not emit them).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
LLVM_MC="${LLVM_MC:-llvm-mc-19}"
LLVM_OBJDUMP="${LLVM_OBJDUMP:-llvm-objdump-19}"
PYTHON="${PYTHON:-python3}"

usage() { echo "usage: $0 OUT.o [SCALE] [--variant] [--seed N] [--funcs F] [--bad]" >&2; exit 2; }

out="" scale="1" gen_args=()
while [[ $# -gt 0 ]]; do
	case "$1" in
	--variant) gen_args+=(--variant); shift ;;
	--seed) [[ $# -ge 2 ]] || usage; gen_args+=(--seed "$2"); shift 2 ;;
	--funcs) [[ $# -ge 2 ]] || usage; gen_args+=(--funcs "$2"); shift 2 ;;
	--bad) gen_args+=(--bad); shift ;;
	-h|--help) usage ;;
	-*) usage ;;
	*)
		if [[ -z "$out" ]]; then out="$1"
		elif [[ "$scale" == "1" && -z "${scale_set:-}" ]]; then scale="$1"; scale_set=1
		else usage; fi
		shift ;;
	esac
done
[[ -n "$out" ]] || usage
[[ "$out" == *.o ]] || { echo "OUT must end in .o" >&2; exit 2; }

asm="${out%.o}.s"
"$PYTHON" "$HERE/gen_large.py" --scale "$scale" "${gen_args[@]}" > "$asm"
"$LLVM_MC" -triple bpfel -filetype=obj "$asm" -o "$out"

# Count what we produced, from llvm-objdump's disassembly (ld_imm64 = 2 slots).
"$LLVM_OBJDUMP" -dr "$out" | "$PYTHON" -c '
import re, sys
slots = insns = ldimm = calls_ret = calls_cookie = sub_calls = 0
sections = 0
for line in sys.stdin:
    if line.startswith("Disassembly of section"):
        sections += 1
        continue
    m = re.match(r"\s*\d+:\s+([0-9a-f]{2}) ", line)
    if m:
        insns += 1
        if m.group(1) == "18":
            ldimm += 1
            slots += 2
        else:
            slots += 1
        continue
    m = re.search(r"R_BPF_64_32\s+(\S+)", line)
    if m:
        sym = m.group(1)
        if sym == "bpf_session_is_return": calls_ret += 1
        elif sym == "bpf_session_cookie": calls_cookie += 1
        else: sub_calls += 1
print(f"sections={sections} insns={insns} slots={slots} ld_imm64={ldimm} "
      f"is_return_calls={calls_ret} cookie_calls={calls_cookie} "
      f"kfunc_calls={calls_ret + calls_cookie} cross_section_subprog_calls={sub_calls}")
'
