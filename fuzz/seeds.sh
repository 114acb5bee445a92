#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fuzz/seeds.sh HARNESS_DLL DIR: fills DIR with afl-fuzz seeds: samples/obj/*.o, the regression inputs of
# tests/BpfFixup.Tests/TestData/Fuzz, and, when llvm-objcopy-19 is there, each sample without DWARF and without
# BTF (smaller inputs whose every byte matters to the loader: more executions, and mutations that land), and the
# code of each little-endian sample's sections as StreamObject inputs (a flags byte, then the instructions: not
# ELF, so the harness wraps them into an object and mutations land on the code; fuzz/BpfFixup.Fuzz/StreamObject.cs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
dll="${1:?usage: fuzz/seeds.sh HARNESS_DLL DIR}"
dir="${2:?usage: fuzz/seeds.sh HARNESS_DLL DIR}"
mkdir -p "$dir"
cp "$ROOT"/samples/obj/*.o "$dir/"
dotnet "$dll" --seeds "$ROOT/tests/BpfFixup.Tests/TestData/Fuzz" "$dir"
if command -v llvm-objcopy-19 >/dev/null 2>&1; then
	for f in "$ROOT"/samples/obj/*.o; do
		stem="$(basename "$f" .o)"
		llvm-objcopy-19 --strip-debug "$f" "$dir/$stem-nodebug.o"
		llvm-objcopy-19 --strip-debug --remove-section=.BTF --remove-section=.BTF.ext --remove-section=.rel.BTF.ext \
			"$f" "$dir/$stem-nobtf.o"
	done
	for f in "$ROOT"/samples/obj/*-el.o; do
		stem="$(basename "$f" .o)"
		n=0
		while read -r section; do
			n=$((n + 1))
			llvm-objcopy-19 -O binary --only-section="$section" "$f" "$dir/code.bin"
			# flags 0x08: the program section, and after its first exit a subprogram in .text.
			{ printf '\x08'; cat "$dir/code.bin"; } >"$dir/$stem-code$n.bin"
		done < <(llvm-readelf-19 -S --wide "$f" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) *PROGBITS .* AX .*/\1/p')
	done
	rm -f "$dir/code.bin"
fi
# StreamObject inputs by hand: `call -1` with off 0 is bpf_session_cookie, off 1 bpf_session_is_return, off 2 .text.
# kprobe.session/: call bpf_session_cookie; call bpf_session_is_return; exit.
printf '\x04\x85\x10\x00\x00\xff\xff\xff\xff\x85\x10\x01\x00\xff\xff\xff\xff\x95\x00\x00\x00\x00\x00\x00\x00' >"$dir/stream-kprobe.bin"
# fsession/: r6 = r1; r1 = r6; call bpf_session_cookie; call .text; exit | .text: r0 = 0; exit.
printf '\x08\xbf\x16\x00\x00\x00\x00\x00\x00\xbf\x61\x00\x00\x00\x00\x00\x00\x85\x10\x00\x00\xff\xff\xff\xff\x85\x10\x02\x00\xff\xff\xff\xff\x95\x00\x00\x00\x00\x00\x00\x00\xb7\x00\x00\x00\x00\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' >"$dir/stream-fsession.bin"
