// SPDX-License-Identifier: MIT
using BpfFixup.Diff;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;
using BpfFixup.Tests.Interop;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Snapshots;

/// <summary>
/// Snapshots change only when the code changes (issue 12, item 6): TestData/Snapshots/stable_labels.bpf.c compiled
/// by clang-19 as it is, with a comment-only edit, and with one inserted branch; the snapshot lines that change are
/// counted with the differ the snapshot command uses.
/// </summary>
public sealed class SnapshotStabilityTests : IDisposable
{
    private const string SourceName = "stable_labels.bpf.c";
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static string Source => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Snapshots", SourceName));

    /// <summary>Compiles <paramref name="source"/> as <c>&lt;variant&gt;/stable_labels.bpf.c</c> (one file name for every variant, as an edit keeps it).</summary>
    private string Compile(string variant, string source)
    {
        string d = Path.Combine(dir.Path, variant);
        Directory.CreateDirectory(d);
        string c = Path.Combine(d, SourceName);
        File.WriteAllText(c, source);
        string o = Path.Combine(d, "stable_labels.o");
        ExternalTool.RunChecked("clang-19", ["-O2", "-g", "-target", "bpfel", "-I/usr/include/x86_64-linux-gnu", "-I/usr/include", "-c", c, "-o", o]);
        return o;
    }

    /// <summary>Program name → snapshot text, as <c>bpffixup snapshot</c> writes it.</summary>
    private static Dictionary<string, string> Snapshots(string obj, bool lineNumbers = false)
    {
        var loaded = TestHelpers.Load(File.ReadAllBytes(obj), "stable_labels.o");
        var outcome = FixupPipeline.Run(loaded, new RewriteOptions());
        var entries = ObjectSnapshots.Entries(outcome, "linux-7.0", lineNumbers: lineNumbers)!;
        return entries.ToDictionary(e => e.FileName, e => e.Content, StringComparer.Ordinal);
    }

    /// <summary>Changed lines of one snapshot (deleted, inserted).</summary>
    private static (int Deleted, int Inserted) Changes(string a, string b)
    {
        var script = StreamDiffer.Diff(UnifiedDiff.SplitLines(a), UnifiedDiff.SplitLines(b));
        return (script.Deletions, script.Insertions);
    }

    private static string[] Labels(string text) => [.. UnifiedDiff.SplitLines(text).Where(l => l.StartsWith(".L", StringComparison.Ordinal))];

    [InteropFact("clang-19")]
    public void A_comment_only_edit_changes_no_snapshot_line()
    {
        var before = Snapshots(Compile("base", Source));
        var after = Snapshots(Compile("comment", "/* a comment-only edit:\n * two lines more above everything */\n" + Source));
        Assert.Equal(["stable_labels.count_reads.verified.txt", "stable_labels.count_writes.verified.txt"], before.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, text) in before)
        {
            Assert.Equal((0, 0), Changes(text, after[name]));
        }

        // The source comments are there, without line numbers; --keep-line-numbers keeps them, and then the edit shows.
        Assert.Contains("    ; reads++; (stable_labels.bpf.c)\n", before["stable_labels.count_reads.verified.txt"], StringComparison.Ordinal);
        var numbered = Snapshots(Path.Combine(dir.Path, "base", "stable_labels.o"), lineNumbers: true);
        var numberedAfter = Snapshots(Path.Combine(dir.Path, "comment", "stable_labels.o"), lineNumbers: true);
        Assert.Contains("    ; reads++; (stable_labels.bpf.c:29)\n", numbered["stable_labels.count_reads.verified.txt"], StringComparison.Ordinal);
        Assert.Equal((13, 13), Changes(numbered["stable_labels.count_reads.verified.txt"], numberedAfter["stable_labels.count_reads.verified.txt"]));
    }

    [InteropFact("clang-19")]
    public void An_inserted_branch_adds_its_lines_and_renames_no_label()
    {
        var before = Snapshots(Compile("base", Source));
        var after = Snapshots(Compile("branch", Source.Replace("/* @BRANCH@ */", "if (count == 7) odd_reads += 3;", StringComparison.Ordinal)));

        // Another program's snapshot does not change at all.
        Assert.Equal((0, 0), Changes(before["stable_labels.count_writes.verified.txt"], after["stable_labels.count_writes.verified.txt"]));

        // In the edited one: the source comment, the branch, its three instructions and its own new label; every old
        // label keeps its name (numbering targets in order renamed the four after it, and 29 lines changed).
        string a = before["stable_labels.count_reads.verified.txt"];
        string b = after["stable_labels.count_reads.verified.txt"];
        Assert.Equal((0, 7), Changes(a, b));
        Assert.Equal(Labels(a), Labels(b).Intersect(Labels(a)));
        Assert.Equal(Labels(a).Length + 1, Labels(b).Length);
    }

    [InteropFact("clang-19")]
    public void Changed_code_after_an_inserted_early_return_renames_no_label()
    {
        // This branch goes to the common exit, and clang allocates registers differently at two old targets: the
        // instructions there change, their source lines do not, so neither do their labels.
        var before = Snapshots(Compile("base", Source));
        var after = Snapshots(Compile("return", Source.Replace("/* @BRANCH@ */", "if (count == 7) return 1;", StringComparison.Ordinal)));
        string a = before["stable_labels.count_reads.verified.txt"];
        string b = after["stable_labels.count_reads.verified.txt"];
        Assert.Equal(Labels(a), Labels(b));
        Assert.Equal((5, 10), Changes(a, b));
    }
}
