// SPDX-License-Identifier: MIT
namespace BpfFixup.Isa;

/// <summary>
/// src_reg values with a special meaning (include/uapi/linux/bpf.h; RFC 9669 §4.3.1 and §5.4).
/// </summary>
public static class PseudoSource
{
    /// <summary>ld_imm64 src 1: imm is a map fd.</summary>
    public const byte MapFd = 1;
    /// <summary>ld_imm64 src 2: map fd plus value offset.</summary>
    public const byte MapValue = 2;
    /// <summary>ld_imm64 src 3: kernel BTF id of a variable.</summary>
    public const byte BtfId = 3;
    /// <summary>ld_imm64 src 4: imm is a pc-relative instruction offset of a function.</summary>
    public const byte Func = 4;
    /// <summary>ld_imm64 src 5: map index.</summary>
    public const byte MapIdx = 5;
    /// <summary>ld_imm64 src 6: map index plus value offset.</summary>
    public const byte MapIdxValue = 6;

    /// <summary>call src 1: bpf-to-bpf call, imm is pc-relative (RFC 9669 §4.3.1 "program-local function").</summary>
    public const byte Call = 1;
    /// <summary>call src 2: kfunc call, imm is a kernel BTF id.</summary>
    public const byte KfuncCall = 2;

    /// <summary>MOV X with off 1: <c>addr_space_cast</c> (Linux BPF_ADDR_SPACE_CAST).</summary>
    public const short AddrSpaceCast = 1;
}
