#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# CI's short fuzzing run: builds and instruments the harness (fuzz/build.sh), replays every regression input
# (tests/BpfFixup.Tests/TestData/Fuzz) and every sample through the instrumented target, then runs afl-fuzz for
# FUZZ_SMOKE_SECONDS (default 90) from fuzz/seeds.sh's seeds. Fails when a replay fails or afl-fuzz saves a crash or a hang.
# Without afl-fuzz it says so and skips (exit 0), unless BPFFIXUP_REQUIRE_FUZZ=1 (then it fails).
# FUZZ_SMOKE_STRICT=0 (what .ci/run sets) reports a new find of the random phase, with the input as hex, without
# failing; a failing saved input always fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
seconds="${FUZZ_SMOKE_SECONDS:-90}"

if ! command -v afl-fuzz >/dev/null 2>&1; then
	if [[ ${BPFFIXUP_REQUIRE_FUZZ:-0} == 1 ]]; then
		echo "fuzz smoke: FAILED: afl-fuzz not found and BPFFIXUP_REQUIRE_FUZZ=1 (Debian: apt-get install afl++)" >&2
		exit 1
	fi
	echo "fuzz smoke: SKIPPED: afl-fuzz not found (Debian: apt-get install afl++; BPFFIXUP_REQUIRE_FUZZ=1 makes this a failure)"
	exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bpffixup-fuzz-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$ROOT/fuzz/build.sh" "$work/bin"

# The regression inputs first: each crashed once, none may now.
dotnet "$work/bin/BpfFixup.Fuzz.dll" "$ROOT/tests/BpfFixup.Tests/TestData/Fuzz" "$ROOT/samples/obj" ||
	{ echo "fuzz smoke: FAILED: a saved input fails (above)" >&2; exit 1; }

"$ROOT/fuzz/seeds.sh" "$work/bin/BpfFixup.Fuzz.dll" "$work/seeds"

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
rc=0
afl-fuzz -i "$work/seeds" -o "$work/findings" -x "$ROOT/fuzz/bpf.dict" -t 2000 -m none -G 65536 -V "$seconds" \
	-- dotnet "$work/bin/BpfFixup.Fuzz.dll" >"$work/afl.log" 2>&1 || rc=$?
stats="$work/findings/default/fuzzer_stats"
if [[ $rc != 0 || ! -f $stats ]]; then
	tail -n 30 "$work/afl.log" >&2
	echo "fuzz smoke: FAILED: afl-fuzz exited $rc" >&2
	exit 1
fi

stat() { sed -n "s/^$1 *: //p" "$stats"; }
found=()
for f in "$work"/findings/default/{crashes,hangs}/id:*; do
	[[ -e $f ]] && found+=("$f")
done
echo "fuzz smoke: $(stat execs_done) executions in $(stat run_time) s ($(stat execs_per_sec)/s), corpus $(stat corpus_count), map $(stat bitmap_cvg), $(stat saved_crashes) crash(es), $(stat saved_hangs) hang(s)"
if [[ ${#found[@]} -gt 0 ]]; then
	dotnet "$work/bin/BpfFixup.Fuzz.dll" "${found[@]}" >&2 || true
	# Each new input goes to the log as hex (the .hex form of tests/BpfFixup.Tests/TestData/Fuzz), so that it can
	# be kept from the log alone: the work directory is removed on exit.
	for f in "${found[@]}"; do
		echo "fuzz smoke: new input $(basename "$f"):" >&2
		od -An -v -tx1 "$f" | tr -d ' \n' | fold -w 64 >&2
		echo >&2
	done
	if [[ ${FUZZ_SMOKE_STRICT:-1} == 1 ]]; then
		echo "fuzz smoke: FAILED: afl-fuzz found ${#found[@]} crash(es)/hang(s); keep each as tests/BpfFixup.Tests/TestData/Fuzz/*.hex" >&2
		exit 1
	fi
	# FUZZ_SMOKE_STRICT=0: a find of the random phase is reported, not fatal. The saved inputs above stay fatal.
	echo "fuzz smoke: REPORTED, not fatal (FUZZ_SMOKE_STRICT=0): afl-fuzz found ${#found[@]} new crash(es)/hang(s), printed above as hex; keep each as tests/BpfFixup.Tests/TestData/Fuzz/*.hex" >&2
	exit 0
fi
echo "fuzz smoke: passed"
