#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fuzz/seeds.sh HARNESS_DLL DIR: fills DIR with afl-fuzz seeds: samples/obj/*.o, the regression inputs of
# tests/BpfFixup.Tests/TestData/Fuzz, and, when llvm-objcopy-19 is there, each sample without DWARF and without
# BTF (smaller inputs whose every byte matters to the loader: more executions, and mutations that land).
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
fi
