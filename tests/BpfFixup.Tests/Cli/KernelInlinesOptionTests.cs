// SPDX-License-Identifier: MIT
using BpfFixup.Cli;

namespace BpfFixup.Tests.Cli;

/// <summary><c>--kernel-inlines</c> on the four commands that show or write the fixed-up stream.</summary>
public sealed class KernelInlinesOptionTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("bpffixup-kinl-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static string Runtime => TestPaths.Sample("session_runtime-el.o");

    // bpf_get_func_arg(ctx, 0, &arg0) in sess_test1, as bpftool prog dump xlated prints it on Linux 7.2.
    private static readonly string[] GetFuncArgXlated =
    [
        "(79) r0 = *(u64 *)(r1 -8)", "(57) r0 &= 255", "(3e) if w2 >= w0 goto pc+6", "(67) r2 <<= 3", "(0f) r2 += r1",
        "(79) r0 = *(u64 *)(r2 +0)", "(7b) *(u64 *)(r3 +0) = r0", "(b7) r0 = 0", "(05) goto pc+1", "(b7) r0 = -22",
    ];

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static List<string> Texts(string listing) =>
        [.. listing.Split('\n').Where(l => l.Contains(":\t(", StringComparison.Ordinal)).Select(l => l[(l.IndexOf('\t', StringComparison.Ordinal) + 1)..])];

    [Fact]
    public void Dump_fixup_with_the_option_prints_the_kernels_helper_sequences_in_xlated_syntax()
    {
        var (code, plain, _) = Run("dump", "--fixup", "--syntax", "xlated", "--no-raw", "--program", "sess_test1", Runtime);
        Assert.Equal(0, code);
        Assert.Contains("(85) call bpf_get_func_arg#183", plain, StringComparison.Ordinal);

        (code, var inlined, _) = Run("dump", "--fixup", "--kernel-inlines", "--syntax", "xlated", "--no-raw", "--program", "sess_test1", Runtime);
        Assert.Equal(0, code);
        Assert.DoesNotContain("call bpf_get_func", inlined, StringComparison.Ordinal);
        var texts = Texts(inlined);
        Assert.Single(Enumerable.Range(0, texts.Count), i => texts.Skip(i).Take(GetFuncArgXlated.Length).SequenceEqual(GetFuncArgXlated));
        Assert.Equal(2, texts.Count(t => t == "(79) r0 = *(u64 *)(r1 -16)"));
        Assert.Equal(Texts(plain).Count + 9 + 6, texts.Count); // get_func_arg 10 and get_func_ret 7 for one call each; get_func_ip 1 for 1
    }

    [Fact]
    public void Patch_snapshot_and_diff_take_the_option()
    {
        string plainOut = Path.Combine(temp, "plain.o"), inlinedOut = Path.Combine(temp, "inlined.o");
        var (code, summary, _) = Run("patch", Runtime, "-o", plainOut);
        Assert.Equal(0, code);
        Assert.DoesNotContain("helper", summary, StringComparison.Ordinal);
        (code, summary, _) = Run("patch", "--kernel-inlines", Runtime, "-o", inlinedOut);
        Assert.Equal(0, code);
        Assert.Contains("inlined 4 helper call(s) as the kernel does, kept 0", summary, StringComparison.Ordinal);
        Assert.NotEqual(File.ReadAllBytes(plainOut), File.ReadAllBytes(inlinedOut));

        // The JSON report counts the helper calls only with the option.
        (code, var report, _) = Run("patch", "--kernel-inlines", "--dry-run", "--report", "-", Runtime);
        Assert.Equal(0, code);
        Assert.Contains("\"helpersInlined\":4,\"helpersKept\":0", report.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        (code, report, _) = Run("patch", "--dry-run", "--report", "-", Runtime);
        Assert.Equal(0, code);
        Assert.DoesNotContain("helpers", report, StringComparison.Ordinal);

        string dir = Path.Combine(temp, "snaps");
        (code, _, _) = Run("snapshot", "--kernel-inlines", "--accept", "--dir", dir, Runtime);
        Assert.Equal(0, code);
        string snap = File.ReadAllText(Assert.Single(Directory.GetFiles(dir, "*.verified.txt")));
        Assert.Contains("abi: linux-7.0 +kernel-inlines", snap, StringComparison.Ordinal);
        Assert.DoesNotContain("call bpf_get_func", snap, StringComparison.Ordinal);

        (code, var diff, _) = Run("diff", Runtime, "--fixup", "--kernel-inlines", "--format", "stat");
        Assert.Equal(1, code);
        (code, var diffPlain, _) = Run("diff", Runtime, "--fixup", "--format", "stat");
        Assert.Equal(1, code);
        Assert.NotEqual(diffPlain, diff);
    }
}
