// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Fuzz;

/// <summary>
/// The second input shape of <see cref="FuzzTarget"/>: bytes that are not an ELF file are one flags byte and raw
/// instructions, wrapped into a well-formed object (tests' <see cref="BpfObjectBuilder"/>), so every mutation
/// lands on the code the analysis and the rewrite see instead of on ELF structure the loader rejects.
/// </summary>
/// <remarks>
/// Flags: bit 0 big-endian; bits 1–2 the program's section (<c>fsession/</c>, <c>fsession.s/</c>,
/// <c>kprobe.session/</c>, <c>fentry/</c>); bit 3 everything after the first <c>exit</c> is a subprogram in
/// <c>.text</c> (bit 4: global). Instructions are 8 bytes as RFC 9669 §3 lays them out little-endian; ld_imm64 (0x18)
/// takes the next 8 bytes too. A <c>call -1</c> (0x85, src_reg 1, imm -1) with off 0 is relocated (R_BPF_64_32, as
/// clang emits a call to an extern) against <c>bpf_session_cookie</c>, with off 1 against
/// <c>bpf_session_is_return</c>, with off 2 (split only) against <c>.text</c>.
/// </remarks>
public static class StreamObject
{
    /// <summary>At most this many instruction bytes are used: the builder is quadratic in the instruction count.</summary>
    public const int MaxCodeBytes = 4096;

    private static readonly string[] Sections = ["fsession/vfs_read", "fsession.s/vfs_read", "kprobe.session/do_unlinkat", "fentry/vfs_read"];

    /// <summary>True when <paramref name="data"/> is an ELF file (its magic), which the loader reads as it is.</summary>
    public static bool IsElf(ReadOnlySpan<byte> data) => data.StartsWith("\x7f"u8) && data[1..].StartsWith("ELF"u8);

    /// <summary>The object that <paramref name="data"/> (flags, then instructions) describes.</summary>
    public static byte[] Build(ReadOnlySpan<byte> data)
    {
        byte flags = data.IsEmpty ? (byte)0 : data[0];
        var code = data.IsEmpty ? [] : data[1..Math.Min(data.Length, 1 + MaxCodeBytes)];
        var builder = new BpfObjectBuilder((flags & 1) != 0 ? ByteOrder.Big : ByteOrder.Little);
        string program = Sections[(flags >> 1) & 3];
        bool split = (flags & 8) != 0;
        builder.Function(program, "prog", 0, global: true);
        string section = program;
        for (int at = 0; at + 8 <= code.Length; at += 8)
        {
            var insn = Decode(code.Slice(at, 8));
            if (insn.Opcode == Opcodes.LdImm64 && at + 16 <= code.Length)
            {
                var next = Decode(code.Slice(at + 8, 8));
                insn = insn with { IsWide = true, NextImm = next.Imm, NextOpcode = next.Opcode, NextDst = next.Dst, NextSrc = next.Src };
                at += 8;
            }

            // clang's call to an extern or another section: `call -1` (src_reg 1) and an R_BPF_64_32 naming the
            // target; the off field picks the target here and is 0 in what is written.
            string? target = insn.Opcode == Opcodes.CallOp && insn.Src == 1 && insn.Imm == -1 ? insn.Offset switch
            {
                0 => "bpf_session_cookie",
                1 => "bpf_session_is_return",
                2 when split && section == program => BpfObjectBuilder.TextSectionSymbol,
                _ => null,
            } : null;
            int index = builder.Section(section).Add(target is null ? insn : insn with { Offset = 0 });
            if (target is not null)
            {
                if (target != BpfObjectBuilder.TextSectionSymbol)
                {
                    builder.Extern(target);
                }

                builder.Relocate(section, index, target, BpfRelocationType.R64_32);
            }

            if (split && section == program && insn.Opcode == Opcodes.ExitOp)
            {
                section = ".text";
                builder.Function(section, "sub", 0, global: (flags & 16) != 0);
            }
        }

        return builder.Build();
    }

    private static Instruction Decode(ReadOnlySpan<byte> raw) => Instruction.Create(
        raw[0], (byte)(raw[1] & 0xf), (byte)(raw[1] >> 4), BinaryPrimitives.ReadInt16LittleEndian(raw[2..]), BinaryPrimitives.ReadInt32LittleEndian(raw[4..]));
}
