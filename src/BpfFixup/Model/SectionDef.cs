// SPDX-License-Identifier: MIT
namespace BpfFixup.Model;

/// <summary>
/// One row of libbpf's <c>section_defs[]</c> (tools/lib/bpf/libbpf.c): a SEC() prefix, the program type and
/// expected attach type it implies, and whether it is sleepable.
/// </summary>
/// <param name="Prefix">The pattern as libbpf writes it: <c>fentry+</c> matches <c>fentry</c> and <c>fentry/...</c>; no suffix means exact.</param>
/// <param name="ProgramType">bpf_prog_type.</param>
/// <param name="AttachType">expected_attach_type, or null where libbpf passes 0 for "none".</param>
/// <param name="Sleepable">SEC_SLEEPABLE.</param>
public sealed record SectionDef(string Prefix, ProgramType ProgramType, AttachType? AttachType, bool Sleepable)
{
    /// <summary>libbpf's <c>sec_def_matches</c>.</summary>
    public bool Matches(string sectionName)
    {
        if (Prefix.EndsWith('/'))
        {
            return sectionName.StartsWith(Prefix, StringComparison.Ordinal);
        }

        if (Prefix.EndsWith('+'))
        {
            var stem = Prefix.AsSpan(0, Prefix.Length - 1);
            if (!sectionName.AsSpan().StartsWith(stem, StringComparison.Ordinal))
            {
                return false;
            }

            return sectionName.Length == stem.Length || sectionName[stem.Length] == '/';
        }

        return sectionName == Prefix;
    }

    /// <summary>The attach type in libbpf's spelling, or <c>none</c>.</summary>
    public string AttachTypeName => AttachType is { } a ? TypeNames.Of(a) : "none";
}
