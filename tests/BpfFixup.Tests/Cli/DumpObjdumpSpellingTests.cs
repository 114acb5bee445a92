// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Tests.Interop;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// Issue 12 item 4: <c>dump</c> takes llvm-objdump's spellings where the meaning is the same (<c>-d</c>, <c>-r</c>,
/// <c>-j/--section</c>, <c>--disassemble-symbols=</c>, <c>--no-show-raw-insn</c>, <c>--print-imm-hex</c>), and
/// with <c>--no-annotations</c> its text is llvm-objdump-19's, byte for byte.
/// </summary>
public sealed class DumpObjdumpSpellingTests
{
    private const string Objdump = "llvm-objdump-19";

    /// <summary>Flag sets given to both tools; each must select something in at least one sample.</summary>
    private static readonly string[][] FlagSets =
    [
        ["-d"],
        ["-dr"],
        ["-d", "-r", "--no-show-raw-insn"],
        ["-dr", "--print-imm-hex", "-j", "fsession/do_unlinkat", "-j", ".text"],
        ["--section=fsession/vfs_read", "-dr"],
        ["-dr", "--disassemble-symbols=unlink_lat,read_sess,sess_is_exit"],
    ];

    [InteropFact(Objdump)]
    public void No_annotations_is_llvm_objdump_byte_for_byte()
    {
        ExternalTool.Require(Objdump);
        var failures = new StringBuilder();
        int compared = 0;
        var used = new HashSet<int>();
        foreach (string obj in TestPaths.AllSamples())
        {
            for (int i = 0; i < FlagSets.Length; i++)
            {
                var ours = Run(["dump", .. FlagSets[i], "--no-annotations", obj]);
                if (ours.Code == 2 && ours.Err.Contains("no ", StringComparison.Ordinal))
                {
                    continue; // the filter selects nothing here: bpffixup says so (exit 2), llvm-objdump prints headers only
                }

                used.Add(i);
                compared++;
                string theirs = ExternalTool.RunChecked(Objdump, [.. FlagSets[i], obj]);
                if (ours.Code != 0 || ours.Out != theirs)
                {
                    failures.Append(Path.GetFileName(obj)).Append(' ').AppendJoin(' ', FlagSets[i]).Append(": exit ").Append(ours.Code).Append(' ').Append(ours.Err).Append('\n');
                }
            }
        }

        Assert.True(failures.Length == 0, $"{compared} outputs compared; differ:\n{failures}");
        Assert.Equal(FlagSets.Length, used.Count);
    }

    [Fact]
    public void Dash_d_alone_leaves_out_relocation_and_core_lines()
    {
        string obj = TestPaths.Sample("session_basic-el.o");
        string dr = Run("dump", obj).Out;
        Assert.Equal(dr, Run("dump", "-dr", obj).Out);
        Assert.Equal(dr, Run("dump", "-d", "-r", obj).Out);
        string d = Run("dump", "-d", obj).Out;
        Assert.Contains("\t\t0000000000000028:  R_BPF_64_32\tbpf_session_cookie\n", dr, StringComparison.Ordinal);
        Assert.Contains("CO-RE <byte_off>", dr, StringComparison.Ordinal);
        Assert.DoesNotContain("R_BPF_64_", d, StringComparison.Ordinal);
        Assert.DoesNotContain("CO-RE", d, StringComparison.Ordinal);
        Assert.Equal(dr.Split('\n').Where(l => !l.StartsWith("\t\t0", StringComparison.Ordinal)), d.Split('\n'));
    }

    [Fact]
    public void Dash_r_without_dash_d_is_a_usage_error()
    {
        var r = Run("dump", "-r", TestPaths.Sample("session_basic-el.o"));
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal(["bpffixup: error: -r without -d (llvm-objdump's table of relocation records) is not supported: use -dr, or neither (the same)"], r.ErrLines);
    }

    [Fact]
    public void No_annotations_removes_exactly_bpffixup_s_own_lines_and_comments()
    {
        string obj = TestPaths.Sample("session_basic-el.o");
        string with = Run("dump", obj).Out;
        string without = Run("dump", "--no-annotations", obj).Out;
        Assert.Contains("; prog_type=tracing attach_type=trace_fsession\n", with, StringComparison.Ordinal);
        Assert.Contains("\t\t; session kfunc bpf_session_cookie [trace_fsession]\n", with, StringComparison.Ordinal);
        Assert.DoesNotContain("; prog_type=", without, StringComparison.Ordinal);
        Assert.DoesNotContain("; session kfunc", without, StringComparison.Ordinal);
        var stripped = with.Split('\n').Where(l => !l.StartsWith("\t\t; session kfunc ", StringComparison.Ordinal))
            .Select(l => l.IndexOf(">:  ; prog_type=", StringComparison.Ordinal) is int k and >= 0 ? l[..(k + 2)] : l);
        Assert.Equal(stripped, without.Split('\n'));
    }

    [Fact]
    public void Section_and_symbol_filters_repeat_and_combine()
    {
        string obj = TestPaths.Sample("session_basic-el.o");
        var headers = (string[] args) => Run(["dump", .. args, obj]).OutLines.Where(l => l.StartsWith("Disassembly", StringComparison.Ordinal) || l.EndsWith(':') || l.Contains(">:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            ["Disassembly of section fentry/do_unlinkat:", "0000000000000000 <unlink_entry>:", "Disassembly of section fexit/do_unlinkat:", "0000000000000000 <unlink_exit>:"],
            headers(["--no-annotations", "-j", "fentry/do_unlinkat", "--section", "fexit/do_unlinkat"]));
        Assert.Equal(headers(["--program", "unlink_lat", "--program", "fsync_count"]), headers(["--disassemble-symbols=unlink_lat,fsync_count"]));
        Assert.Equal(headers(["--program", "unlink_lat", "--program", "fsync_count"]), headers(["--disassemble-symbols", "unlink_lat", "--program", "fsync_count"]));
        Assert.Equal(4, headers(["--disassemble-symbols=unlink_lat,fsync_count"]).Length);
        Assert.Equal(Run("dump", "--no-raw", obj).Out, Run("dump", "--no-show-raw-insn", obj).Out);
        Assert.Equal(Run("dump", obj).Out, Run("dump", "--print-imm-hex", obj).Out);
    }

    [Theory]
    [InlineData("--disassemble-symbols=a,,b", "--disassemble-symbols: invalid value 'a,,b': expected names separated by commas")]
    public void A_bad_symbol_list_is_a_usage_error(string option, string message)
    {
        var r = Run("dump", option, TestPaths.Sample("session_basic-el.o"));
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal(["bpffixup: error: " + message], r.ErrLines);
    }

    [Fact]
    public void A_filter_naming_several_that_match_nothing_names_them_all()
    {
        var r = Run("dump", "-j", "a", "-j", "b", TestPaths.Sample("session_basic-el.o"));
        Assert.Equal(["bpffixup: error: no code section 'a', 'b'"], r.ErrLines);
    }
}
