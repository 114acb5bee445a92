// SPDX-License-Identifier: MIT
using System.CommandLine;

namespace BpfFixup.Cli;

/// <summary>
/// Parses and runs a command line with the given writers. Parse errors exit 2 (System.CommandLine would return 1);
/// any exception escaping a command prints one line and exits 2, never a stack trace.
/// </summary>
internal static class CliRunner
{
    /// <summary>Runs <paramref name="args"/>; output and errors go to the writers given.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var root = CliApp.CreateRootCommand();
            var result = root.Parse(args);
            if (result.Errors.Count > 0)
            {
                foreach (var e in result.Errors)
                {
                    CliErrors.Write(error, e.Message);
                }

                error.Write("Try 'bpffixup --help' for more information.\n");
                return ExitCodes.BadInput;
            }

            var config = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            };
            return result.Invoke(config);
        }
#pragma warning disable CA1031 // The catch-all is the point: no stack trace ever reaches the user.
        catch (Exception e)
#pragma warning restore CA1031
        {
            CliErrors.Write(error, $"internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
