// SPDX-License-Identifier: MIT
namespace BpfFixup.Rendering;

/// <summary>
/// <c>enum bpf_core_relo_kind</c> (tools/lib/bpf/relo_core.h) and the names llvm-objdump prints for each
/// between angle brackets (llvm/lib/DebugInfo/BTF/BTFParser.cpp).
/// </summary>
public static class CoreReloKinds
{
    private static readonly string[] Names =
    [
        "byte_off",       // 0 FIELD_BYTE_OFFSET
        "byte_sz",        // 1 FIELD_BYTE_SIZE
        "field_exists",   // 2 FIELD_EXISTS
        "signed",         // 3 FIELD_SIGNED
        "lshift_u64",     // 4 FIELD_LSHIFT_U64
        "rshift_u64",     // 5 FIELD_RSHIFT_U64
        "local_type_id",  // 6 TYPE_ID_LOCAL
        "target_type_id", // 7 TYPE_ID_TARGET
        "type_exists",    // 8 TYPE_EXISTS
        "type_size",      // 9 TYPE_SIZE
        "enumval_exists", // 10 ENUMVAL_EXISTS
        "enumval_value",  // 11 ENUMVAL_VALUE
        "type_matches",   // 12 TYPE_MATCHES
    ];

    /// <summary>llvm-objdump's name of <paramref name="kind"/>, or <c>reloc kind #N</c> for an unknown one.</summary>
    public static string NameOf(uint kind) => kind < (uint)Names.Length ? Names[kind] : $"reloc kind #{kind}";

    /// <summary>BTFParser.cpp <c>relocKindName</c>: the name between angle brackets.</summary>
    internal static void AppendName(System.Text.StringBuilder sb, uint kind) => sb.Append('<').Append(NameOf(kind)).Append('>');
}
