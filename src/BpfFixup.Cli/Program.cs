// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.IO;

namespace BpfFixup.Cli;

/// <summary>The <c>bpffixup</c> entry point.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // Not System.Console: its streams initialise the terminal (DescriptorStream says why). A large buffer and
        // no autoflush for stdout: a listing is written in big chunks, flushed once at the end (by the runner,
        // which turns a failed write into exit 2 or, for a broken pipe, 141). The writers are not disposed:
        // a second flush of a failed buffer would only fail again.
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var error = new StreamWriter(DescriptorStream.StandardError(), utf8, 1 << 12) { AutoFlush = true, NewLine = "\n" };
        var progress = new ProgressReporter(error, ProgressSettings.OfProcess());
        var output = new StreamWriter(progress.EndOnWrite(DescriptorStream.StandardOutput()), utf8, 1 << 16) { AutoFlush = false, NewLine = "\n" };
        return CliRunner.Run(args, output, error, progress);
    }

    /// <summary>Runs a command line in-process with the given writers (what the tests use).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => CliRunner.Run(args, output, error);
}
