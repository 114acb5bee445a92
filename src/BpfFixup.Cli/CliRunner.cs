// SPDX-License-Identifier: MIT
using System.CommandLine;
using System.CommandLine.Help;
using BpfFixup.IO;

namespace BpfFixup.Cli;

/// <summary>
/// Parses and runs a command line with the given writers. Parse errors exit 2 (System.CommandLine would return 1);
/// any exception escaping a command prints one line and exits 2, never a stack trace. Output is flushed here, so
/// a write that fails at any point (closed stream, full disk) ends the run with one line and exit 2, and a broken
/// pipe ends it quietly with 141, the status of a process killed by SIGPIPE (128 + 13), as git and coreutils do.
/// </summary>
internal static class CliRunner
{
    /// <summary>The exit status after EPIPE on a standard stream.</summary>
    public const int BrokenPipe = 141;

    /// <summary>Help is wrapped at a fixed width: output does not depend on the terminal (nor queries it).</summary>
    private const int HelpWidth = 100;

    /// <summary>
    /// Runs <paramref name="args"/>; output and errors go to the writers given, and the status line, when
    /// <paramref name="progress"/> shows one, to stderr (erased before any other stderr line and at the end).
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, ProgressReporter? progress = null)
    {
        ProgressReporter.Current = progress;
        error = progress?.Error ?? error;
        try
        {
            int code = Invoke(args, output, error);
            progress?.Dispose();
            output.Flush();
            error.Flush();
            return code;
        }
        catch (StreamWriteException e)
        {
            return WriteFailed(e, error);
        }
#pragma warning disable CA1031 // The catch-all is the point: no stack trace ever reaches the user.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Report(error, $"internal error: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            progress?.Dispose();
            ProgressReporter.Current = null;
        }
    }

    private static int Invoke(string[] args, TextWriter output, TextWriter error)
    {
        var root = CliApp.CreateRootCommand();
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help })
            {
                help.MaxWidth = HelpWidth;
            }
        }

        var result = root.Parse(args);
        // Help, --version and the [suggest] directive (shell completion) run whatever else the line holds.
        if (result.Action is not { ClearsParseErrors: true } && UsageErrors.Describe(result, args) is { } usage)
        {
            // One line: the first error is the one to fix (the rest usually follow from it).
            CliErrors.Write(error, usage);
            return ExitCodes.BadInput;
        }

        var config = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,

            // No SIGINT/SIGTERM hooks: registering them goes through System.Console, which initialises the terminal.
            ProcessTerminationTimeout = null,
        };
        return result.Invoke(config);
    }

    private static int WriteFailed(StreamWriteException e, TextWriter error)
    {
        if (e.IsBrokenPipe)
        {
            return BrokenPipe;
        }

        return e.StreamName == "stderr" ? ExitCodes.BadInput : Report(error, e.Message);
    }

    private static int Report(TextWriter error, string message)
    {
        try
        {
            CliErrors.Write(error, message);
            error.Flush();
        }
        catch (StreamWriteException e) when (e.IsBrokenPipe)
        {
            return BrokenPipe;
        }
        catch (IOException)
        {
            // stderr is gone too: the exit status is all that is left.
        }

        return ExitCodes.BadInput;
    }
}
