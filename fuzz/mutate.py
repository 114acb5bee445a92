#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Targeted mutations of a little-endian BPF object: call imms/src_reg, relocation offsets/symbols/types,
# symbol values/sections/sizes, and a few combined. Usage: mutate.py OBJ OUTDIR COUNT SEED
import struct, random, sys, os
src, out, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(src, 'rb').read()
rnd = random.Random(seed)
shoff, = struct.unpack_from('<Q', data, 0x28)
shnum, = struct.unpack_from('<H', data, 0x3c)
secs = []
for i in range(shnum):
    o = shoff + i * 64
    name, typ, flags, addr, off, size, link, info, align, ent = struct.unpack_from('<IIQQQQIIQQ', data, o)
    secs.append(dict(i=i, hdr=o, type=typ, flags=flags, off=off, size=size, link=link, info=info))
code = [s for s in secs if s['type'] == 1 and s['flags'] & 4]
rels = [s for s in secs if s['type'] == 9]
symtab = [s for s in secs if s['type'] == 2][0]
nsym = symtab['size'] // 24
calls = []  # file offsets of call insns
insns = []
for s in code:
    for k in range(0, s['size'], 8):
        o = s['off'] + k
        insns.append(o)
        if data[o] == 0x85: calls.append(o)
relents = [r['off'] + k for r in rels for k in range(0, r['size'], 16)]
coderels = [r['off'] + k for r in rels if secs[r['info']]['flags'] & 4 for k in range(0, r['size'], 16)]
syms = [symtab['off'] + k * 24 for k in range(1, nsym)]
imms = [-1, 0, 1, 2, -2, 3, 7, -7, 0x7fffffff, -0x80000000, 4, 8, 16, -16, 100, -100]

def m_call_imm(b):
    o = rnd.choice(calls); v = rnd.choice(imms) if rnd.random() < .7 else rnd.randint(-60, 60)
    struct.pack_into('<i', b, o + 4, v)
def m_call_src(b):
    o = rnd.choice(calls); b[o + 1] = (b[o + 1] & 0x0f) | (rnd.choice([0, 1, 2, 3, 4, 15]) << 4)
def m_call_off(b):
    o = rnd.choice(calls); struct.pack_into('<h', b, o + 2, rnd.choice([0, 1, -1, 2, 5]))
def m_rel_off(b):
    o = rnd.choice(coderels if rnd.random() < .8 else relents)
    v, = struct.unpack_from('<Q', b, o)
    v = max(0, v + rnd.choice([-16, -8, 8, 16, 24, -24, 1, 4, rnd.randint(-40, 40) * 8]))
    struct.pack_into('<Q', b, o, v)
def m_rel_sym(b):
    o = rnd.choice(coderels if rnd.random() < .8 else relents)
    info, = struct.unpack_from('<Q', b, o + 8)
    s = rnd.randrange(nsym + 2)
    struct.pack_into('<Q', b, o + 8, (s << 32) | (info & 0xffffffff))
def m_rel_type(b):
    o = rnd.choice(coderels)
    info, = struct.unpack_from('<Q', b, o + 8)
    struct.pack_into('<Q', b, o + 8, (info & ~0xffffffff) | rnd.choice([0, 1, 2, 3, 4, 10, 11]))
def m_sym_value(b):
    o = rnd.choice(syms)
    v, = struct.unpack_from('<Q', b, o + 8)
    v = max(0, v + rnd.choice([-16, -8, 8, 16, 24, 4, rnd.randint(-20, 20) * 8]))
    struct.pack_into('<Q', b, o + 8, v)
def m_sym_size(b):
    o = rnd.choice(syms)
    v, = struct.unpack_from('<Q', b, o + 16)
    struct.pack_into('<Q', b, o + 16, max(0, v + rnd.choice([-16, -8, 8, 16, -v, 1000])))
def m_sym_shndx(b):
    o = rnd.choice(syms)
    struct.pack_into('<H', b, o + 14, rnd.choice([s['i'] for s in code] + [0, 0xfff1, 0xfff2, shnum]))
def m_sym_info(b):
    o = rnd.choice(syms)
    b[o + 4] = rnd.choice([0x12, 0x02, 0x10, 0x03, 0x01, 0x11, 0x00, 0x22])
def m_insn(b):
    o = rnd.choice(insns)
    k = rnd.randrange(8)
    b[o + k] ^= 1 << rnd.randrange(8)
def m_jmp_off(b):
    jm = [o for o in insns if (b[o] & 7) in (5, 6) and b[o] not in (0x85, 0x95)]
    if not jm: return
    o = rnd.choice(jm); struct.pack_into('<h', b, o + 2, rnd.randint(-40, 40))
def m_insn_ld64(b):
    o = rnd.choice(insns); b[o] = 0x18

funcsyms = []
for k in range(1, nsym):
    o = symtab['off'] + k * 24
    info = data[o + 4]; shn, = struct.unpack_from('<H', data, o + 6); val, = struct.unpack_from('<Q', data, o + 8)
    if info & 0xf == 2: funcsyms.append((k, shn, val))
secsyms = {}
for k in range(1, nsym):
    o = symtab['off'] + k * 24
    if data[o + 4] & 0xf == 3:
        shn, = struct.unpack_from('<H', data, o + 6); secsyms[shn] = k
relat = {}
for r in rels:
    if secs[r['info']]['flags'] & 4:
        for k in range(0, r['size'], 16):
            ro, = struct.unpack_from('<Q', data, r['off'] + k)
            relat[secs[r['info']]['off'] + ro] = (r['off'] + k, r['info'])
secof = lambda fo: [s for s in code if s['off'] <= fo < s['off'] + s['size']][0]
def m_retarget(b):
    o = rnd.choice(calls + [x for x in insns if data[x] == 0x18])
    k, shn, val = rnd.choice(funcsyms)
    s = secof(o)
    if o in relat:
        ro, _ = relat[o]
        info, = struct.unpack_from('<Q', b, ro + 8)
        typ = info & 0xffffffff
        if data[o] == 0x85:
            if shn in secsyms and rnd.random() < .5:
                struct.pack_into('<Q', b, ro + 8, (secsyms[shn] << 32) | typ); struct.pack_into('<i', b, o + 4, val // 8 - 1)
            else:
                struct.pack_into('<Q', b, ro + 8, (k << 32) | typ); struct.pack_into('<i', b, o + 4, -1)
            b[o + 1] = (b[o + 1] & 0x0f) | 0x10
        else:
            if shn in secsyms:
                struct.pack_into('<Q', b, ro + 8, (secsyms[shn] << 32) | typ); struct.pack_into('<i', b, o + 4, val)
    elif data[o] == 0x85 and shn == s['i']:
        pc = (o - s['off']) // 8
        struct.pack_into('<i', b, o + 4, val // 8 - pc - 1); b[o + 1] = (b[o + 1] & 0x0f) | 0x10
def m_helper_to_local(b):
    # a helper call becomes a pc-relative call to a function of its own section
    o = rnd.choice(calls); s = secof(o)
    cands = [(k, shn, val) for k, shn, val in funcsyms if shn == s['i']]
    if not cands: return
    k, shn, val = rnd.choice(cands); pc = (o - s['off']) // 8
    if o in relat: return
    struct.pack_into('<i', b, o + 4, val // 8 - pc - 1); b[o + 1] = (b[o + 1] & 0x0f) | 0x10
def m_bind(b):
    k, shn, val = rnd.choice(funcsyms); o = symtab['off'] + k * 24
    b[o + 4] = (b[o + 4] & 0xf) | (rnd.choice([0, 1, 2]) << 4)

nameoffs = [struct.unpack_from('<I', data, s['hdr'])[0] for s in secs]
def m_sec_name(b):
    s = rnd.choice(secs); struct.pack_into('<I', b, s['hdr'], rnd.choice(nameoffs) + rnd.choice([0, 0, 0, 4, 1]))
def m_sec_info(b):
    s = rnd.choice(rels + rels + secs); struct.pack_into('<I', b, s['hdr'] + 44, rnd.randrange(shnum + 1))
def m_sec_flags(b):
    s = rnd.choice(secs); struct.pack_into('<Q', b, s['hdr'] + 8, rnd.choice([0, 2, 3, 4, 6, 7, 0x10, 0x20]))
def m_sec_type(b):
    s = rnd.choice(secs); struct.pack_into('<I', b, s['hdr'] + 4, rnd.choice([1, 2, 3, 8, 9, 4, 0]))
ops = [m_sec_name]*3 + [m_sec_info]*2 + [m_sec_flags] + [m_sec_type] + [m_retarget]*8 + [m_helper_to_local]*3 + [m_bind]*2 + [m_call_imm]*4 + [m_call_src]*2 + [m_call_off] + [m_rel_off]*3 + [m_rel_sym]*2 + [m_rel_type] + [m_sym_value]*3 + [m_sym_size] + [m_sym_shndx] + [m_sym_info] + [m_insn]*2 + [m_jmp_off]*2 + [m_insn_ld64]
stem = os.path.basename(src)[:-2]
os.makedirs(out, exist_ok=True)
for n in range(count):
    b = bytearray(data)
    for _ in range(rnd.choice([1, 1, 1, 2, 2, 3])):
        rnd.choice(ops)(b)
    open(os.path.join(out, f'{stem}-{seed}-{n:05d}.o'), 'wb').write(b)
