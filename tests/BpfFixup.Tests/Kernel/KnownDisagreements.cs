// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace BpfFixup.Tests.Kernel;

/// <summary>What kind of disagreement an entry of known-disagreements.txt records.</summary>
public enum DisagreementKind
{
    /// <summary>The kernel cannot load the object.</summary>
    CannotLoad,

    /// <summary>The verdicts differ.</summary>
    Verdict,

    /// <summary>Both reject; the kernel's first error line is not in BpfFixup's diagnostic.</summary>
    Wording,
}

/// <summary>One entry of known-disagreements.txt.</summary>
/// <param name="Line">Its line number.</param>
/// <param name="Kind">The kind.</param>
/// <param name="ObjectGlob">Which objects (<c>*</c> matches any run of characters).</param>
/// <param name="ProgramGlob">Which programs.</param>
/// <param name="KernelWords">Words the kernel's first error line contains.</param>
/// <param name="Reason">Why they part.</param>
public sealed record KnownDisagreement(int Line, DisagreementKind Kind, string ObjectGlob, string ProgramGlob, string KernelWords, string Reason)
{
    /// <summary>True when the entry is about <paramref name="objectName"/> (and <paramref name="program"/>, when given).</summary>
    public bool Matches(string objectName, string? program = null) =>
        Glob(ObjectGlob).IsMatch(objectName) && (program is null || Glob(ProgramGlob).IsMatch(program));

    /// <summary>"line N (kind): reason", for messages.</summary>
    public override string ToString() => $"known-disagreements.txt line {Line} ({Kind}): {Reason}";

    private static Regex Glob(string glob) => new("^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}

/// <summary>The known disagreements between Linux 7.2 and BpfFixup, one data file (TestData/Kernel/known-disagreements.txt).</summary>
public static class KnownDisagreements
{
    private static readonly Lazy<IReadOnlyList<KnownDisagreement>> Entries = new(Read);

    /// <summary>Every entry.</summary>
    public static IReadOnlyList<KnownDisagreement> All => Entries.Value;

    /// <summary>The entry of <paramref name="kind"/> for the program, or null.</summary>
    public static KnownDisagreement? Find(DisagreementKind kind, string objectName, string program) =>
        All.FirstOrDefault(d => d.Kind == kind && d.Matches(objectName, program));

    /// <summary>True when the kernel cannot load <paramref name="objectName"/> at all.</summary>
    public static bool CannotLoad(string objectName) => All.Any(d => d.Kind == DisagreementKind.CannotLoad && d.Matches(objectName));

    private static List<KnownDisagreement> Read()
    {
        var entries = new List<KnownDisagreement>();
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Kernel", "known-disagreements.txt"));
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] f = line.Split('|', 5, StringSplitOptions.TrimEntries);
            if (f.Length != 5 || f.Any(x => x.Length == 0))
            {
                throw new FormatException($"known-disagreements.txt line {i + 1}: want 'kind | object | program | kernel words | reason'");
            }

            var kind = f[0] switch
            {
                "cannot-load" => DisagreementKind.CannotLoad,
                "verdict" => DisagreementKind.Verdict,
                "wording" => DisagreementKind.Wording,
                _ => throw new FormatException($"known-disagreements.txt line {i + 1}: unknown kind '{f[0]}'"),
            };
            entries.Add(new KnownDisagreement(i + 1, kind, f[1], f[2], f[3], f[4]));
        }

        return entries;
    }
}
