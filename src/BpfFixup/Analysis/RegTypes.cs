// SPDX-License-Identifier: MIT
namespace BpfFixup.Analysis;

/// <summary>
/// Register types the analysis tracks, a subset of the verifier's <c>enum bpf_reg_type</c>
/// (include/linux/bpf.h). A value is a set of these: paths that meet are joined by union.
/// </summary>
[Flags]
public enum RegTypes : ushort
{
    /// <summary>No type yet (the bottom of the lattice).</summary>
    None = 0,
    /// <summary>NOT_INIT: never written on some path.</summary>
    NotInit = 1 << 0,
    /// <summary>SCALAR_VALUE.</summary>
    Scalar = 1 << 1,
    /// <summary>PTR_TO_CTX.</summary>
    Ctx = 1 << 2,
    /// <summary>PTR_TO_STACK ("fp").</summary>
    Stack = 1 << 3,
    /// <summary>PTR_TO_MAP_VALUE (also global data).</summary>
    MapValue = 1 << 4,
    /// <summary>PTR_TO_MAP_VALUE | PTR_MAYBE_NULL.</summary>
    MapValueOrNull = 1 << 5,
    /// <summary>CONST_PTR_TO_MAP.</summary>
    MapPtr = 1 << 6,
    /// <summary>PTR_TO_MEM (e.g. the result of bpf_session_cookie).</summary>
    Mem = 1 << 7,
    /// <summary>PTR_TO_MEM | PTR_MAYBE_NULL (e.g. bpf_ringbuf_reserve).</summary>
    MemOrNull = 1 << 8,
    /// <summary>PTR_TO_FUNC.</summary>
    Func = 1 << 9,
    /// <summary>PTR_TO_BTF_ID and other pointers this analysis does not tell apart.</summary>
    OtherPtr = 1 << 10,
}
