#!/bin/sh
# SPDX-License-Identifier: MIT
# Rebuilds empty_prog.o: an object whose xdp program has no instructions (st_size 0) beside a 2-insn tc program.
set -eu
cd "$(dirname "$0")"
llvm-mc-19 -triple bpfel -filetype=obj empty_prog.s -o empty_prog.o
