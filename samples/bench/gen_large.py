#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate a large llvm-mc BPF assembly file full of fsession kfunc call sites.

Usage: gen_large.py [--scale S] [--funcs F] [--variant] [--seed N] > out.s

Layout of the generated object:
  * F (default NFUNCS = 40) program sections "fsession/func_N", one GLOBAL FUNC each, sharing
    SCALE * 200,000 slots (--funcs 8000: ~8k small sections; --funcs 1: one 200k-slot program);
  * a .text section with NSUBS (8) static (LOCAL FUNC) subprograms, called
    from the programs (cross-section calls) and from each other (same-section,
    pc-relative calls);
  * a .bss variable "bench_counter" referenced by ld_imm64 (R_BPF_64_64).
Each function keeps ctx in r6 and does "r1 = r6" before every kfunc call
(one block also spills ctx to the stack and reloads it into r1).

Block kinds, chosen by a per-function seeded RNG (so output is deterministic
and a --variant run differs only where the mutations below say):
  A  is_return; forward jump across a cookie call          (9 slots, 2 calls)
  B  ld_imm64 constant; cookie; store                      (6 slots, 1 call)
  C  2-round loop: backward jump across an is_return call  (7 slots, 1 call)
  D  call a static .text subprogram                        (3 slots)
  E  forward jump over up to 40 following blocks           (1 slot)
  F  spill ctx, helper call, reload ctx into r1, is_return (5 slots, 1 call)
  G  ld_imm64 of bench_counter; atomic add                 (3 slots)
  H  arithmetic filler                                     (8 slots)
Every jump stays inside its function and within +-32767 insns at any scale.
"""
import argparse
import random
import re
import sys

NFUNCS = 40
NSUBS = 8
SLOTS_PER_FUNC = 5000        # at scale 1: 40 * 5000 + .text >= 200,000 slots
SLOTS_PER_SUB = 400
LONG_JUMP_BLOCKS = 40

IS_RET = "bpf_session_is_return"
COOKIE = "bpf_session_cookie"

KINDS = "AAABBCCDEFGHHH"     # weights: A x3, B x2, C x2, D, E, F, G, H x3


def block(kind, p, k, rng, nsubs_callable):
    """Return (lines, slots) for block k of function prefix p (label at start)."""
    lab = f".L{p}_b{k}"
    out = [f"{lab}:"]
    if kind == "A":
        out += ["\tr1 = r6", f"\tcall {IS_RET}", "\tr0 &= 1",
                f"\tif r0 == 0 goto {lab}_skip",
                "\tr1 = r6", f"\tcall {COOKIE}",
                "\tr8 = *(u64 *)(r0 + 0)", "\tr7 += r8",
                f"{lab}_skip:", "\tr7 += 1"]
        return out, 9
    if kind == "B":
        const = (0x5bd1e995 << 32) | rng.getrandbits(32)
        out += [f"\tr2 = {const:#x} ll", "\tr7 ^= r2",
                "\tr1 = r6", f"\tcall {COOKIE}", "\t*(u64 *)(r0 + 0) = r7"]
        return out, 6
    if kind == "C":
        out += ["\tr9 = 0", f"{lab}_loop:",
                "\tr1 = r6", f"\tcall {IS_RET}", "\tr0 &= 1", "\tr7 += r0",
                "\tr9 += 1", f"\tif r9 != 2 goto {lab}_loop"]
        return out, 7
    if kind == "D" and nsubs_callable > 0:
        out += ["\tr1 = r6", f"\tcall sub_{rng.randrange(nsubs_callable)}", "\tr7 += r0"]
        return out, 3
    if kind == "E":
        # Target label is resolved later (it must name an existing block).
        out += [f"\tif r7 s> {0x7ffffff0:#x} goto @FWD{LONG_JUMP_BLOCKS}@"]
        return out, 1
    if kind == "F":
        out += ["\t*(u64 *)(r10 - 8) = r6", "\tcall 5",
                "\tr1 = *(u64 *)(r10 - 8)", f"\tcall {IS_RET}", "\tr7 += r0"]
        return out, 5
    if kind == "G":
        out += ["\tr2 = bench_counter ll", "\tlock *(u64 *)(r2 + 0) += r7"]
        return out, 3
    # H (and D in a subprogram that may not call further)
    a, b = rng.randrange(1, 1 << 16), rng.randrange(1, 31)
    out += ["\tr3 = r7", f"\tr3 *= {a}", f"\tr3 ^= {b}", "\tr4 = r3",
            f"\tr4 >>= {b}", "\tr3 += r4", "\tr7 += r3", "\tr8 = r7"]
    return out, 8


def gen_function(name, prefix, seed, target_slots, nsubs_callable):
    """Generate the body blocks of one function. Returns a list of [kind, lines, slots]."""
    rng = random.Random(f"{seed}:{name}")
    blocks, slots, k = [], 2, 0               # 2 = "r6 = r1; r7 = 0"
    while slots + 2 < target_slots:           # 2 = "r0 = 0; exit"
        kind = rng.choice(KINDS)
        lines, n = block(kind, prefix, k, rng, nsubs_callable)
        blocks.append([kind, lines, n])
        slots += n
        k += 1
    return blocks


def render_function(name, prefix, blocks, section, is_global):
    nb = len(blocks)
    out = []
    out.append(f'\t.section "{section}","ax",@progbits' if section != ".text"
               else "\t.text")
    out.append("\t.p2align 3")
    if is_global:
        out.append(f"\t.globl {name}")
    out.append(f"\t.type {name},@function")
    out.append(f"{name}:")
    out += ["\tr6 = r1", "\tr7 = 0"]
    for i, (_, lines, _) in enumerate(blocks):
        for ln in lines:
            if "@FWD" in ln:
                tgt = min(i + LONG_JUMP_BLOCKS, nb)
                lab = f".L{prefix}_b{tgt}" if tgt < nb else f".L{prefix}_end"
                ln = ln.replace(f"@FWD{LONG_JUMP_BLOCKS}@", lab)
            out.append(ln)
    out += [f".L{prefix}_end:", "\tr0 = 0", "\texit", f".L{prefix}_size:",
            f"\t.size {name}, .L{prefix}_size-{name}", ""]
    return out


def mutate(funcs, subs, seed):
    """--variant: change a handful of places (see README). Deterministic."""
    rng = random.Random(f"{seed}:variant")

    def find(blocks, kind, start):
        for i in range(start, len(blocks)):
            if blocks[i][0] == kind:
                return i
        raise SystemExit(f"variant: no block of kind {kind} after {start}")

    # 1. func_3: change one ld_imm64 constant (same size).
    b = funcs[3][2]
    i = find(b, "B", len(b) // 2)
    b[i][1] = [ln.replace("0x5bd1e995", "0x5bd1e996") for ln in b[i][1]]
    # 2. func_11: insert one instruction (everything after it shifts by 1).
    b = funcs[11][2]
    i = find(b, "A", len(b) // 3)
    b[i][1].insert(1, "\tr7 += 1")
    b[i][2] += 1
    # 3. func_19: delete a whole A block (two call sites disappear).
    b = funcs[19][2]
    i = find(b, "A", len(b) // 2)
    b[i][1], b[i][2] = [b[i][1][0]], 0        # keep its label for jump targets
    # 4. func_27: add a B block (one new cookie call site).
    b = funcs[27][2]
    i = find(b, "H", len(b) // 4)
    extra, n = block("B", funcs[27][1], 999999, rng, NSUBS)
    b[i][1] += extra
    b[i][2] += n
    # 5. func_35: flip a forward-jump condition across a call.
    b = funcs[35][2]
    i = find(b, "A", 2 * len(b) // 3)
    b[i][1] = [ln.replace("if r0 == 0 goto", "if r0 != 0 goto") for ln in b[i][1]]
    # 6. sub_2 (.text): change a filler immediate.
    b = subs[2][2]
    i = find(b, "H", 0)
    b[i][1] = [f"\tr3 ^= {int(ln.split()[-1]) + 1}" if ln.startswith("\tr3 ^= ") else ln
               for ln in b[i][1]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--variant", action="store_true")
    ap.add_argument("--seed", type=int, default=20260124)
    ap.add_argument("--funcs", type=int, default=NFUNCS)
    ap.add_argument("--bad", action="store_true",
                    help="pass r7, not ctx, to every session kfunc: one error per call site")
    a = ap.parse_args()
    if a.scale <= 0:
        ap.error("scale must be > 0")
    if a.funcs < 1:
        ap.error("funcs must be >= 1")
    if a.variant and a.funcs < 36:
        ap.error("--variant needs at least 36 functions")

    per_func = max(16, int(SLOTS_PER_FUNC * a.scale * NFUNCS / a.funcs))
    # Subprogram i may only call subprograms with a larger index (no recursion);
    # calls go to sub_{i+1..}: encode that by offsetting in render.
    subs = []
    for i in range(NSUBS):
        name = f"sub_{i}"
        blocks = gen_function(name, f"s{i}", a.seed, SLOTS_PER_SUB, NSUBS - 1 - i)
        for blk in blocks:                    # sub_i calls only sub_j with j > i
            blk[1] = [ln.replace("call sub_", f"call sub_@{i + 1}+") for ln in blk[1]]
        subs.append([name, f"s{i}", blocks])
    funcs = []
    for n in range(a.funcs):
        name = f"func_{n}"
        funcs.append([name, f"f{n}", gen_function(name, f"f{n}", a.seed, per_func, NSUBS)])
    if a.variant:
        mutate(funcs, subs, a.seed)

    out = ["# Generated by samples/bench/gen_large.py -- do not edit.",
           f"# scale={a.scale} variant={a.variant} seed={a.seed}", ""]
    for name, prefix, blocks in funcs:
        out += render_function(name, prefix, blocks, f"fsession/{name}", True)
    for name, prefix, blocks in subs:
        out += render_function(name, prefix, blocks, ".text", False)
    out += ["\t.section .bss,\"aw\",@nobits", "\t.p2align 3", "\t.globl bench_counter",
            "\t.type bench_counter,@object", "\t.size bench_counter, 8",
            "bench_counter:", "\t.zero 8", "",
            "\t.section license,\"aw\",@progbits", "\t.globl LICENSE",
            "\t.type LICENSE,@object", "\t.size LICENSE, 13",
            "LICENSE:", '\t.asciz "Dual MIT/GPL"', ""]

    text = "\n".join(out) + "\n"
    # Resolve "call sub_@BASE+K" (K drawn from range(NSUBS-1-i)) into sub_{BASE+K}.
    text = re.sub(r"call sub_@(\d+)\+(\d+)", lambda m: f"call sub_{int(m[1]) + int(m[2])}", text)
    if a.bad:
        text = re.sub(r"\tr1 = r6\n(\tcall bpf_session_)", r"\tr1 = r7\n\1", text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
