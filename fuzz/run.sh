#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Coverage-guided fuzzing of BpfFixup.Core with AFL++ and SharpFuzz: builds fuzz/BpfFixup.Fuzz, instruments
# BpfFixup.Core.dll (only it: not the harness, not System.*) and runs afl-fuzz, seeded from
# samples/obj and the regression inputs (fuzz/seeds.sh), with fuzz/bpf.dict.
#
#   fuzz/run.sh [-d SECONDS] [-e EXECS] [-j INSTANCES] [-o DIR] [-s DIR] [-t MS] [-r]
#     -d  stop after SECONDS (default: run until interrupted)
#     -e  stop after EXECS executions (per instance)
#     -j  instances: one main (-M main) and INSTANCES-1 secondaries (-S secN) in the background (default 1)
#     -o  output directory (default ${TMPDIR:-/tmp}/bpffixup-fuzz): bin/ (the instrumented build), seeds/,
#         findings/ (afl-fuzz -o; stats in findings/<instance>/fuzzer_stats)
#     -s  more seeds: every file in DIR (e.g. the queue/ of an earlier run)
#     -t  timeout of one execution in ms, longer is a hang (default 2000)
#     -r  resume the findings already in DIR instead of starting from the seeds
#
# Environment: NICE (default 10) is the niceness afl-fuzz runs at; AFL_* variables are passed on.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
duration="" execs="" instances=1 out="${TMPDIR:-/tmp}/bpffixup-fuzz" timeout_ms=2000 resume=0 more=""
while getopts "d:e:j:o:s:t:rh" opt; do
	case $opt in
	d) duration=$OPTARG ;;
	e) execs=$OPTARG ;;
	j) instances=$OPTARG ;;
	o) out=$OPTARG ;;
	s) more=$OPTARG ;;
	t) timeout_ms=$OPTARG ;;
	r) resume=1 ;;
	*) sed -n '4,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done

command -v afl-fuzz >/dev/null 2>&1 || { echo "fuzz/run.sh: afl-fuzz not found (Debian: apt-get install afl++)" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd -P)"
case "$out/" in "$ROOT"/*) echo "fuzz/run.sh: the output directory must be outside the repository" >&2; exit 2 ;; esac

# A fresh build each time: sharpfuzz instruments in place and refuses an assembly it has already instrumented.
"$ROOT/fuzz/build.sh" "$out/bin"

if [[ $resume == 0 ]]; then
	rm -rf "$out/seeds" "$out/findings"
	"$ROOT/fuzz/seeds.sh" "$out/bin/BpfFixup.Fuzz.dll" "$out/seeds"
	if [[ -n $more ]]; then
		n=0
		for f in "$more"/*; do
			[[ -f $f ]] && cp "$f" "$out/seeds/more-$((n++))"
		done
	fi
	input="$out/seeds"
else
	input="-"
fi

export AFL_SKIP_BIN_CHECK=1                      # the target is `dotnet`, which AFL++ cannot see instrumented
export AFL_SKIP_CPUFREQ=1                        # a shared machine: no CPU governor to set
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1   # core_pattern is not ours to change
export AFL_NO_AFFINITY="${AFL_NO_AFFINITY:-1}"   # cores are shared with other work
[[ -t 1 ]] || export AFL_NO_UI=1

args=(-i "$input" -o "$out/findings" -x "$ROOT/fuzz/bpf.dict" -t "$timeout_ms" -m none -G 65536)
[[ -n $duration ]] && args+=(-V "$duration")
[[ -n $execs ]] && args+=(-E "$execs")
target=(-- dotnet "$out/bin/BpfFixup.Fuzz.dll")

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
for ((i = 2; i <= instances; i++)); do
	nice -n "${NICE:-10}" afl-fuzz "${args[@]}" -S "sec$i" "${target[@]}" >"$out/sec$i.log" 2>&1 &
	pids+=($!)
done
main=()
[[ $instances -gt 1 ]] && main=(-M main)
rc=0
nice -n "${NICE:-10}" afl-fuzz "${args[@]}" "${main[@]}" "${target[@]}" || rc=$?
for p in "${pids[@]}"; do wait "$p" || true; done
pids=()
echo "fuzz/run.sh: findings in $out/findings (crashes/ and hangs/ of each instance)"
exit $rc
