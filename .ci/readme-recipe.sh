#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Runs the README's "CI recipe (GitHub Actions)" as written, the way a fresh runner would: in a scratch repository
# of the shape the recipe names (bpf/ with a Makefile, this repository's files as tools/bpffixup), every `run:` step
# verbatim in `bash -e` with RUNNER_TEMP and GITHUB_PATH as GitHub sets them. GitHub's `uses:` steps are emulated
# (checkout: the scratch repository; setup-dotnet: the SDK on PATH) or left out (uploads). Before the
# `snapshot --check` step, the developer's `--accept` line from the README is run, as a repository would have
# committed its snapshots. Fails when a step fails or when this repository has an untracked file it did not have.
# SKIP_APT=1 leaves out the step that runs apt-get (for a machine that has the packages and no sudo).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
work="$(mktemp -d "${TMPDIR:-/tmp}/bpffixup-recipe.XXXXXX")"
trap 'rm -rf "$work"' EXIT

untracked_before="$(git -C "$ROOT" status --porcelain --untracked-files=all | grep '^??' || true)"

# The recipe's run: steps, one a line, and the README's accept line, from README.md itself.
python3 - "$ROOT/README.md" "$work/steps" "$work/accept" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## CI recipe (GitHub Actions)", 1)[1]
yaml = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
steps = [m.group(1) for m in re.finditer(r"^\s*- run: (.*)$", yaml, re.M)]
# A trailing YAML comment is not part of the command (`make -C bpf   # builds ...`).
steps = [re.sub(r"\s+#[^\"']*$", "", s) for s in steps]
assert steps, "no run: steps in the CI recipe"
open(sys.argv[2], "w").write("\n".join(steps) + "\n")
accept = re.search(r"`(bpffixup snapshot [^`]*--accept)`", section).group(1)
open(sys.argv[3], "w").write(accept + "\n")
PY

# The scratch repository: one sample as the project's BPF code, built by a plain Makefile.
repo="$work/repo"
mkdir -p "$repo/bpf" "$repo/tools" "$work/runner-temp"
# A copy of the files git knows (a submodule is a checkout; a symlink would hide .editorconfig from the analyzers).
mkdir -p "$repo/tools/bpffixup"
git -C "$ROOT" ls-files -z --cached --others --exclude-standard | (cd "$ROOT" && tar --null -T - -cf -) | tar -xf - -C "$repo/tools/bpffixup"
cp "$ROOT/samples/src/session_basic.bpf.c" "$ROOT/samples/src/common.h" "$repo/bpf/"
cat > "$repo/bpf/Makefile" <<'MAKE'
CLANG ?= $(shell command -v clang-19 || command -v clang)
ARCH_INCLUDE := /usr/include/$(shell uname -m)-linux-gnu
OBJS := $(patsubst %.bpf.c,%.o,$(wildcard *.bpf.c))
all: $(OBJS)
%.o: %.bpf.c common.h
	$(CLANG) -O2 -g -target bpf -I$(ARCH_INCLUDE) -c $< -o $@
MAKE

export RUNNER_TEMP="$work/runner-temp" GITHUB_PATH="$work/github-path"
: > "$GITHUB_PATH"
# sudo where the runner has it; as root without sudo, the command itself.
if ! command -v sudo >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
	mkdir -p "$work/shim" && printf '#!/bin/sh\nexec "$@"\n' > "$work/shim/sudo" && chmod +x "$work/shim/sudo"
	PATH="$work/shim:$PATH"
fi

n=0
while IFS= read -r step; do
	n=$((n + 1))
	if [[ $step == *apt-get* && ${SKIP_APT:-0} == 1 ]]; then
		echo "recipe step $n: skipped (SKIP_APT=1): $step"
		continue
	fi
	if [[ $step == *"snapshot"*"--check"* ]]; then
		echo "recipe: the developer's accept: $(cat "$work/accept")"
		(cd "$repo" && PATH="$(tac "$GITHUB_PATH" | paste -sd: -):$PATH" bash -e -c "$(cat "$work/accept")" >/dev/null)
	fi
	echo "recipe step $n: $step"
	(cd "$repo" && PATH="$(tac "$GITHUB_PATH" | paste -sd: -):$PATH" bash -e -c "$step") || { echo "recipe step $n failed: $step" >&2; exit 1; }
done < "$work/steps"

[[ -s "$RUNNER_TEMP/bpffixup.sarif" ]] || { echo "recipe: no SARIF was written" >&2; exit 1; }
untracked_after="$(git -C "$ROOT" status --porcelain --untracked-files=all | grep '^??' || true)"
if [[ "$untracked_after" != "$untracked_before" ]]; then
	echo "recipe: the repository gained untracked files:" >&2
	diff <(echo "$untracked_before") <(echo "$untracked_after") >&2 || true
	exit 1
fi
echo "recipe: $n steps ran as written"
