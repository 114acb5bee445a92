// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>
/// One .BTF.ext record (bpf_func_info, bpf_line_info or bpf_core_relo). All three start with
/// <c>insn_off</c>, in BYTES from the start of the ELF section (llvm/lib/Target/BPF/BTFDebug.cpp emits it as an instruction's
/// label; libbpf turns it into an instruction index at load); the rest of the
/// record is kept as read so that records larger than known (a newer rec_size) round-trip.
/// </summary>
public sealed class BtfExtRecord
{
    /// <summary>Creates a record from its raw bytes (rec_size long) without insn_off semantics applied.</summary>
    public BtfExtRecord(uint insnOff, byte[] rest, int originalFieldOffset)
    {
        InsnOff = insnOff;
        Rest = rest;
        OriginalFieldOffset = originalFieldOffset;
    }

    /// <summary>insn_off: byte offset of the instruction within its ELF section.</summary>
    public uint InsnOff { get; set; }

    /// <summary>The record after insn_off (rec_size - 4 bytes), in file byte order.</summary>
    public byte[] Rest { get; }

    /// <summary>Offset of the insn_off field in the .BTF.ext section as read; -1 for a record added later.</summary>
    public int OriginalFieldOffset { get; }

    /// <summary>A copy with a new insn_off that has no original position (used when a function is duplicated).</summary>
    public BtfExtRecord CloneAt(uint insnOff) => new(insnOff, (byte[])Rest.Clone(), -1);
}
