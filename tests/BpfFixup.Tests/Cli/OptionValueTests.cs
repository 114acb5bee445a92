// SPDX-License-Identifier: MIT
using BpfFixup.Tests.TestKit;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>Every option with a typed value: a bad value is one usage line naming the option and the value, exit 2.</summary>
public sealed class OptionValueTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("patch OBJ -o ", "--output: invalid value '': expected a file path")]
    [InlineData("patch OBJ --out-dir ", "--out-dir: invalid value '': expected a file path")]
    [InlineData("patch OBJ --dry-run --report ", "--report: invalid value '': expected a file path")]
    [InlineData("snapshot OBJ --dir ", "--dir: invalid value '': expected a file path")]
    [InlineData("check ", "<obj>: invalid value '': expected a file path")]
    [InlineData("diff OBJ OBJ --context x", "--context: invalid value 'x': expected a whole number from 0 to 100000000")]
    [InlineData("diff OBJ OBJ --context 99999999999", "--context: invalid value '99999999999': expected a whole number from 0 to 100000000")]
    [InlineData("diff OBJ OBJ --context 99999999999999999999999", "--context: invalid value '99999999999999999999999': expected a whole number from 0 to 100000000")]
    [InlineData("diff OBJ OBJ --context -1", "--context: invalid value '-1': expected a whole number from 0 to 100000000")]
    [InlineData("patch OBJ --dry-run --cookie-index-shift 4294967296", "--cookie-index-shift: invalid value '4294967296': expected a whole number from 0 to 63")]
    [InlineData("patch OBJ --dry-run --cookie-index-shift 64", "--cookie-index-shift: invalid value '64': expected a whole number from 0 to 63")]
    [InlineData("dump OBJ --fixup --is-return-shift 1.5", "--is-return-shift: invalid value '1.5': expected a whole number from 0 to 63")]
    [InlineData("check OBJ --is-return-shift -1", "--is-return-shift: invalid value '-1': expected a whole number from 0 to 63")]
    [InlineData("check OBJ --format xml", "--format: invalid value 'xml': expected one of text, json, sarif")]
    [InlineData("diff OBJ OBJ --format html", "--format: invalid value 'html': expected one of unified, json, stat")]
    [InlineData("dump OBJ --syntax gnu", "--syntax: invalid value 'gnu': expected one of llvm, xlated")]
    [InlineData("snapshot OBJ --dir S --abi linux-6.0", "--abi: invalid value 'linux-6.0': expected one of linux-7.0, patch-v9")]
    [InlineData("check OBJ --abi \u001b[2J", "--abi: invalid value '\\x1b[2J': expected one of linux-7.0, patch-v9")]
    public void A_bad_value_is_one_usage_line(string command, string message)
    {
        string obj = CopySample(dir, "session_basic-el.o", "a.o");
        var args = command.Split(' ').Select(a => a switch { "OBJ" => obj, "S" => dir.File("s"), _ => a }).ToArray();
        var r = Run(args);
        Assert.Equal((2, string.Empty), (r.Code, r.Out));
        Assert.Equal(["bpffixup: error: " + message], r.ErrLines);
        Assert.Equal(["a.o"], dir.Names());
    }
}
