// SPDX-License-Identifier: MIT
namespace BpfFixup.Btf;

/// <summary>
/// One BTF type (struct btf_type, include/uapi/linux/btf.h) with the parts of its trailing data this tool
/// uses: parameters of FUNC_PROTO, entries of DATASEC, members of STRUCT/UNION.
/// </summary>
public sealed record BtfType
{
    /// <summary>Type id (1-based; 0 is void).</summary>
    public required int Id { get; init; }

    /// <summary>BTF_INFO_KIND.</summary>
    public required BtfKind Kind { get; init; }

    /// <summary>The name, empty for anonymous types.</summary>
    public required string Name { get; init; }

    /// <summary>BTF_INFO_VLEN; for FUNC it is the linkage (0 static, 1 global, 2 extern).</summary>
    public required int VLen { get; init; }

    /// <summary>BTF_INFO_KFLAG.</summary>
    public bool KindFlag { get; init; }

    /// <summary>The size/type union: a byte size for INT/STRUCT/UNION/ENUM/DATASEC/FLOAT, else a type id.</summary>
    public required uint SizeOrType { get; init; }

    /// <summary>FUNC_PROTO parameters as (name, type id); STRUCT/UNION members as (name, type id).</summary>
    public IReadOnlyList<(string Name, int Type)> Members { get; init; } = [];

    /// <summary>DECL_TAG: <c>component_idx</c> (-1 for the type itself, else the member or parameter index); INT: the encoding word.</summary>
    public int Extra { get; init; }

    /// <summary>
    /// ENUM/ENUM64 enumerators as (name, value bits): an ENUM's 32-bit <c>val</c> zero-extended, an ENUM64's
    /// <c>val_hi32 &lt;&lt; 32 | val_lo32</c> (struct btf_enum, struct btf_enum64). Signedness is the kind flag.
    /// </summary>
    public IReadOnlyList<(string Name, ulong Value)> Enumerators { get; init; } = [];

    /// <summary>ARRAY: the element type id (struct btf_array <c>type</c>).</summary>
    public uint ElementType { get; init; }

    /// <summary>DATASEC entries as (var or func type id, offset, size).</summary>
    public IReadOnlyList<(int Type, uint Offset, uint Size)> SecInfos { get; init; } = [];

    /// <summary>FUNC linkage name (BTF_FUNC_STATIC/GLOBAL/EXTERN).</summary>
    public string Linkage => VLen switch { 0 => "static", 1 => "global", 2 => "extern", _ => $"linkage({VLen})" };
}
