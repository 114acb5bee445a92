#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates core-crafted-{el,eb}.o and core-crafted.txt: one object per byte order whose .BTF and .BTF.ext
# (written here as raw data, assembled by llvm-mc-19) hold CO-RE records of every shape llvm/lib/DebugInfo/BTF/
# BTFParser.cpp BTFParser::symbolize prints, the failure forms included: modifiers (const, volatile, restrict,
# type_tag), void, fwd struct/union, anonymous types and enumerators, 32-bit enums with the sign bit set, signed
# and unsigned ENUM64, root and array indices, and every "<...>" message. core-crafted.txt holds the CO-RE lines
# llvm-objdump-19 -dr prints for them (the same for both byte orders; the script checks that), and
# core-samples.txt the CO-RE lines of every samples/obj/core object.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$here" "$work" <<'PY'
import struct, subprocess, sys
here, work = sys.argv[1], sys.argv[2]

strings = bytearray(b"\0")
def s(text):
    if text == "":
        return 0
    off = len(strings)
    strings.extend(text.encode() + b"\0")
    return off

# BTF types: (name_off, kind, kflag, vlen, size_or_type, tail words)
types = []
def t(name, kind, size_or_type, tail=(), vlen=None, kflag=0):
    types.append((s(name), kind, kflag, len(tail) if vlen is None else vlen, size_or_type, list(tail)))
    return len(types)

INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
TYPE_TAG, ENUM64 = 18, 19
def members(*ms):
    return [w for (n, ty) in ms for w in (s(n), ty, 0)]

i_int = t("int", INT, 4, [(1 << 24) | 32], vlen=0)                      # 1
i_const = t("", CONST, i_int)                                          # 2
i_vol = t("", VOLATILE, i_const)                                       # 3
i_restrict = t("", RESTRICT, i_vol)                                    # 4
i_tag = t("user", TYPE_TAG, i_restrict)                                # 5
i_s = t("s", STRUCT, 24, members(("a", i_int), ("", 7)), vlen=2)       # 6
i_u = t("", UNION, 16, members(("x", i_int), ("arr", 8)), vlen=2)      # 7
i_arr = t("", ARRAY, 0, [i_int, i_int, 4], vlen=0)                     # 8
i_fws = t("fw", FWD, 0)                                                # 9
i_fwu = t("fu", FWD, 0, kflag=1)                                       # 10
i_e = t("e", ENUM, 4, [s("A"), 0, s(""), 5, s("NEG"), 0xffffffff], vlen=3)                 # 11
i_se = t("se", ENUM, 4, [s("M"), 0xfffffffb, s("HI"), 0x80000000], vlen=2, kflag=1)       # 12
i_e64 = t("e64", ENUM64, 8, [s("BIG"), 1, 0xffffffff, s("SMALL"), 2, 0], vlen=2)          # 13
i_se64 = t("se64", ENUM64, 8, [s("MIN"), 0, 0x80000000, s("NEG1"), 0xffffffff, 0xffffffff], vlen=2, kflag=1)  # 14
i_td = t("td", TYPEDEF, i_s)                                           # 15
i_ptr = t("", PTR, i_s)                                                # 16
i_tdc = t("tdc", TYPEDEF, 18)                                          # 17
i_cs = t("", CONST, i_s)                                               # 18: typedef -> const -> struct s
first_chain = len(types) + 1
for k in range(33):                                                    # 19..51: 33 consts, then int
    t("", CONST, first_chain + k + 1 if k < 32 else i_int)
i_bad = t("bad", STRUCT, 4, members(("m", 999)), vlen=1)               # 52
i_barr = t("", ARRAY, 0, [999, i_int, 2], vlen=0)                      # 53
i_ba = t("ba", STRUCT, 8, members(("p", i_int), ("q", i_barr)), vlen=2)  # 54
i_cbad = t("", CONST, 999)                                             # 55
i_tde = t("tde", TYPEDEF, i_e)                                         # 56
i_vtd = t("", VOLATILE, i_td)                                          # 57: volatile td

FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_EXISTS, FIELD_SIGNED, LSHIFT, RSHIFT = 0, 1, 2, 3, 4, 5
TYPE_ID_LOCAL, TYPE_ID_TARGET, TYPE_EXISTS, TYPE_SIZE, ENUMVAL_EXISTS, ENUMVAL_VALUE, TYPE_MATCHES = 6, 7, 8, 9, 10, 11, 12
BIG_OFF = 0x7ffffff0  # outside the string section: findString gives ""
relos = [
    (FIELD_BYTE_OFFSET, i_s, "0:1:1:2"),
    (FIELD_BYTE_SIZE, i_s, "3:0"),
    (FIELD_EXISTS, i_s, "2:1:1:3"),
    (FIELD_SIGNED, i_td, "0:0"),
    (LSHIFT, i_vtd, "0:1:0"),
    (RSHIFT, i_tag, "0"),
    (FIELD_BYTE_OFFSET, i_tdc, "0:1"),
    (FIELD_BYTE_OFFSET, i_s, "0:4294967296"),
    (TYPE_ID_LOCAL, i_tag, "0"),
    (TYPE_ID_TARGET, i_ptr, "0"),
    (TYPE_EXISTS, 0, "0"),
    (TYPE_SIZE, i_fws, "0"),
    (TYPE_MATCHES, i_fwu, "0"),
    (TYPE_EXISTS, i_u, "0"),
    (TYPE_SIZE, i_arr, "0"),
    (ENUMVAL_EXISTS, i_e, "1"),
    (ENUMVAL_VALUE, i_e, "2"),
    (ENUMVAL_VALUE, i_se, "0"),
    (ENUMVAL_VALUE, i_se, "1"),
    (ENUMVAL_VALUE, i_e64, "0"),
    (ENUMVAL_EXISTS, i_e64, "1"),
    (ENUMVAL_VALUE, i_se64, "0"),
    (ENUMVAL_VALUE, i_se64, "1"),
    (ENUMVAL_VALUE, i_tde, "0"),
    # failure forms
    (FIELD_BYTE_OFFSET, i_s, ""),
    (FIELD_BYTE_OFFSET, i_s, "0:x"),
    (FIELD_BYTE_OFFSET, i_s, "0;1"),
    (FIELD_BYTE_OFFSET, i_s, "0:99999999999999999999"),
    (FIELD_BYTE_OFFSET, i_s, "0:9"),
    (FIELD_BYTE_OFFSET, 999, "0"),
    (FIELD_BYTE_OFFSET, 0xffffffff, "0"),
    (FIELD_BYTE_OFFSET, i_int, "0:0"),
    (FIELD_BYTE_OFFSET, i_s, "0:1:1:2:0"),
    (FIELD_BYTE_OFFSET, i_bad, "0:0"),
    (FIELD_BYTE_OFFSET, i_ba, "0:1:1"),
    (TYPE_EXISTS, i_s, "0:1"),
    (TYPE_SIZE, i_s, ""),
    (TYPE_EXISTS, first_chain, "0"),
    (TYPE_EXISTS, first_chain + 1, "0"),
    (TYPE_EXISTS, i_cbad, "0"),
    (ENUMVAL_EXISTS, i_s, "0"),
    (ENUMVAL_VALUE, i_e, "0:1"),
    (ENUMVAL_VALUE, i_e, "7"),
    (13, i_s, "0"),
    (4096, i_s, "0"),
    (FIELD_BYTE_OFFSET, i_s, None),
]
spec_off = [s(spec) if spec is not None else BIG_OFF for (_, _, spec) in relos]
# Records llvm-objdump does not print: a second one for instruction 0 (findFieldReloc finds only the first record
# at an address) and one at an offset that is no instruction's start.
extra = [(0, TYPE_EXISTS, i_s, s("0")), (3, FIELD_BYTE_OFFSET, i_s, s("0:0"))]
sec_off = s(".text")

def btf(order):
    body = bytearray()
    for (name, kind, kflag, vlen, st, tail) in types:
        body += struct.pack(order + "III", name, (kflag << 31) | (kind << 24) | vlen, st)
        body += struct.pack(order + "I" * len(tail), *tail)
    hdr = struct.pack(order + "HBBIIIII", 0xeb9f, 1, 0, 24, 0, len(body), len(body), len(strings))
    return hdr + bytes(body) + bytes(strings)

def btf_ext(order):
    core = struct.pack(order + "III", 16, sec_off, len(relos) + len(extra))
    for i, (kind, ty, _) in enumerate(relos):
        core += struct.pack(order + "IIII", i * 8, ty, spec_off[i], kind)
    for (insn_off, kind, ty, spec) in extra:
        core += struct.pack(order + "IIII", insn_off, ty, spec, kind)
    hdr = struct.pack(order + "HBBIIIIIII", 0xeb9f, 1, 0, 32, 0, 0, 0, 0, 0, len(core))
    return hdr + core

def data(b):
    return "".join("\t.byte " + ",".join(str(x) for x in b[i:i + 16]) + "\n" for i in range(0, len(b), 16))

outputs = {}
for triple, order, suffix in (("bpfel", "<", "el"), ("bpfeb", ">", "eb")):
    asm = "\t.text\n\t.globl\tcore_crafted\n\t.type\tcore_crafted,@function\ncore_crafted:\n"
    asm += "\tr0 = 0\n" * len(relos) + "\texit\n\t.size\tcore_crafted, .-core_crafted\n"
    asm += '\t.section\t.BTF,"",@progbits\n' + data(btf(order))
    asm += '\t.section\t.BTF.ext,"",@progbits\n' + data(btf_ext(order))
    src = f"{work}/core-crafted-{suffix}.s"
    obj = f"{here}/core-crafted-{suffix}.o"
    open(src, "w").write(asm)
    subprocess.run(["llvm-mc-19", "-triple", triple, "-filetype=obj", src, "-o", obj], check=True)
    out = subprocess.run(["llvm-objdump-19", "-dr", obj], check=True, capture_output=True, text=True).stdout
    outputs[suffix] = [l for l in out.split("\n") if "CO-RE " in l]
assert outputs["el"] == outputs["eb"], "the byte orders disagree"
assert len(outputs["el"]) == len(relos), f"{len(outputs['el'])} CO-RE lines for {len(relos)} records"
open(f"{here}/core-crafted.txt", "w").write("\n".join(outputs["el"]) + "\n")
PY
{
	for o in "$repo"/samples/obj/core/*.o; do
		echo "== $(basename "$o")"
		llvm-objdump-19 -dr "$o" | grep -F 'CO-RE '
	done
} > "$here/core-samples.txt"
