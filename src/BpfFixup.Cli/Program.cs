// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Cli;

/// <summary>The <c>bpffixup</c> entry point.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // A large buffer and no autoflush: a listing is written in big chunks, flushed once at the end.
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var output = new StreamWriter(Console.OpenStandardOutput(), utf8, 1 << 16) { AutoFlush = false, NewLine = "\n" };
        using var error = new StreamWriter(Console.OpenStandardError(), utf8, 1 << 12) { AutoFlush = true, NewLine = "\n" };
        int code = Run(args, output, error);
        try
        {
            output.Flush();
        }
        catch (IOException)
        {
            // The reader went away (a closed pipe): nothing left to report to.
        }

        return code;
    }

    /// <summary>Runs a command line in-process with the given writers (what the tests use).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => CliRunner.Run(args, output, error);
}
