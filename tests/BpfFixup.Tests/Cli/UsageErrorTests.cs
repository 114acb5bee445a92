// SPDX-License-Identifier: MIT
using BpfFixup.Cli;
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>Issue 12 item 4: an unknown option or command is reported as one, with typo suggestions; one line, exit 2.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("dump --bogus OBJ", "dump: unknown option '--bogus'; a file name that starts with '-' goes after --")]
    [InlineData("dump OBJ --bogus", "dump: unknown option '--bogus'; a file name that starts with '-' goes after --")]
    [InlineData("dump --bogus", "dump: unknown option '--bogus'; a file name that starts with '-' goes after --")]
    [InlineData("dump OBJ --sectoin x", "dump: unknown option '--sectoin' (did you mean '--section'?)")]
    [InlineData("check OBJ --formt json", "check: unknown option '--formt' (did you mean '--format'?)")]
    [InlineData("patch OBJ --dryrun", "patch: unknown option '--dryrun' (did you mean '--dry-run'?)")]
    [InlineData("diff OBJ OBJ --contxt 2", "diff: unknown option '--contxt' (did you mean '--context'?)")]
    [InlineData("snapshot OBJ --dir S --acept", "snapshot: unknown option '--acept' (did you mean '--accept'?)")]
    [InlineData("dump OBJ --no-annotation", "dump: unknown option '--no-annotation' (did you mean '--no-annotations'?)")]
    [InlineData("dump -dz OBJ", "dump: unknown option '-z' in '-dz' (did you mean one of '-j', '-d', '-r', '-h'?)")]
    [InlineData("dump -rdZ OBJ", "dump: unknown option '-Z' in '-rdZ' (did you mean one of '-j', '-d', '-r', '-h'?)")]
    [InlineData("diff OBJ OBJ -qU3", "diff: unknown option '-qU3' (did you mean '-U'?)")]
    [InlineData("diff OBJ OBJ --colr=always", "diff: unknown option '--colr=always' (did you mean '--color'?)")]
    [InlineData("dmup OBJ", "unknown command 'dmup' (did you mean 'dump'?)")]
    [InlineData("chek OBJ", "unknown command 'chek' (did you mean 'check'?)")]
    [InlineData("frobnicate", "unknown command 'frobnicate'; see bpffixup --help")]
    [InlineData("--bogus", "unknown option '--bogus'; see bpffixup --help")]
    [InlineData("diff OBJ OBJ OBJ", "diff: unexpected argument 'OBJ'")]
    [InlineData("", "no command given: use one of dump, check, patch, snapshot, diff, completion (see bpffixup --help)")]
    public void A_usage_error_is_one_line_naming_it(string command, string message)
    {
        string obj = CopySample(dir, "session_basic-el.o", "a.o");
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a switch { "OBJ" => obj, "S" => dir.File("s"), _ => a }).ToArray();
        var r = Run(args);
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal(["bpffixup: error: " + message.Replace("'OBJ'", $"'{obj}'", StringComparison.Ordinal)], r.ErrLines);
        Assert.Equal(["a.o"], dir.Names());
    }

    [Fact]
    public void After_double_dash_a_name_that_starts_with_a_dash_is_a_file()
    {
        var r = Run("dump", "--", "--no-such-file.o");
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal(["bpffixup: error: --no-such-file.o: file at 0x0: cannot read: no such file or directory"], r.ErrLines);
    }

    [Fact]
    public void A_dash_value_of_an_option_is_not_an_unknown_option()
    {
        // -o - is stdout; --program -x names a function -x (there is none: exit 2 for that, not a usage error).
        string obj = CopySample(dir, "session_basic-el.o", "a.o");
        var (code, bytes, err) = RunBinary("patch", obj, "-o", "-");
        Assert.Equal(0, code);
        Assert.Equal((byte)0x7f, bytes[0]);
        Assert.DoesNotContain("unknown option", err, StringComparison.Ordinal);
        var r = Run("dump", obj, "--program", "-x");
        Assert.Equal(["bpffixup: error: no function '-x'"], r.ErrLines);
    }

    [Theory]
    [InlineData("dump", "-dr", "OBJ")]
    [InlineData("dump", "-jfsession/do_unlinkat", "OBJ")]
    [InlineData("dump", "--program", "-dz", "OBJ")]
    [InlineData("diff", "--fixup", "-U0", "OBJ")]
    [InlineData("dump", "-d", "--", "-dz")]
    public void A_bundle_of_known_letters_or_a_value_is_not_an_unknown_option(params string[] command)
    {
        string obj = CopySample(dir, "session_basic-el.o", "a.o");
        var r = Run([.. command.Select(a => a == "OBJ" ? obj : a)]);
        Assert.DoesNotContain("unknown option", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_dash_is_stdout()
    {
        string obj = CopySample(dir, "session_basic-el.o", "a.o");
        var r = Run("patch", obj, "--dry-run", "--report", "-");
        Assert.Equal(0, r.Code);
        Assert.StartsWith("{", r.Out, StringComparison.Ordinal);
        Assert.Contains("(dry run)", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dmup", "dump")]
    [InlineData("--formt", "--format")]
    [InlineData("--sectoin", "--section")]
    public void Suggestions_follow_system_commandline_s_rule(string word, string expected)
    {
        string[][] candidates = [["dump"], ["diff"], ["check"], ["--format"], ["--section", "-j"], ["--source"]];
        Assert.Equal([expected], TypoSuggestions.For(word, candidates));
    }

    [Fact]
    public void Suggestions_stop_at_distance_three_and_keep_every_tie()
    {
        Assert.Empty(TypoSuggestions.For("frobnicate", [["dump"], ["check"]]));
        Assert.Equal(["dump", "diff"], TypoSuggestions.For("d", [["dump"], ["diff"], ["snapshot"]]));
        Assert.Equal(3, TypoSuggestions.Distance("kitten", "sitting"));
        Assert.Empty(TypoSuggestions.For(new string('x', 100_000), [["dump"]]));
    }
}
