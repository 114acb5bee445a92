// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary>What a call (or a function-pointer ld_imm64) refers to.</summary>
public enum CallTargetKind : byte
{
    /// <summary>Not a call.</summary>
    None,
    /// <summary>A helper by <c>bpf_func_id</c>.</summary>
    Helper,
    /// <summary>A bpf-to-bpf call or a function address, resolved to an instruction of a code section.</summary>
    Subprogram,
    /// <summary>An extern kfunc, named by its relocation's undefined symbol.</summary>
    Kfunc,
    /// <summary>A call whose target could not be resolved.</summary>
    Unresolved,
}

/// <summary>A resolved call target.</summary>
/// <param name="Kind">What kind of target.</param>
/// <param name="Name">Helper, kfunc or function name.</param>
/// <param name="Section">For subprogram targets: the code section.</param>
/// <param name="TargetInsn">For subprogram targets: the instruction index in <paramref name="Section"/>.</param>
/// <param name="Function">For subprogram targets: the function starting there, if one does.</param>
/// <param name="HelperId">For helpers: the id.</param>
public readonly record struct CallTarget(CallTargetKind Kind, string? Name, CodeSection? Section, int TargetInsn, BpfFunction? Function, int HelperId)
{
    /// <summary>No target.</summary>
    public static CallTarget None => default;
}
