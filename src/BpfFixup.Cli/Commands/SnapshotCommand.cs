// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;
using BpfFixup.Text;

namespace BpfFixup.Cli.Commands;

/// <summary><c>bpffixup snapshot &lt;obj&gt;... --dir D [--check | --accept]</c>: one reviewable file per program after the fixup.</summary>
internal static class SnapshotCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objects = new Argument<string[]>("obj") { Description = "BPF ELF object files (.o)", Arity = ArgumentArity.OneOrMore }.FilePaths();
        var dir = new Option<string?>("--dir") { Description = "Directory of the *.verified.txt files", Required = true }.FilePath();
        var check = new Option<bool>("--check") { Description = "Compare only: a missing, differing or dangling snapshot fails and gets a .received.txt" };
        var accept = new Option<bool>("--accept") { Description = "Write or overwrite the verified files and delete received ones" };
        var keepLines = new Option<bool>("--keep-line-numbers") { Description = "Keep source line numbers in the comments (by default they are left out: they move with edits elsewhere in the file)" };
        var abi = new AbiOptions();
        var kernelInlines = KernelInlinesOption.Create();
        var kernelBtf = new KernelBtfOption();
        var command = new Command("snapshot", "Write or check one snapshot file per program: the code the kernel will run after the fixup")
        {
            objects, dir, check, accept, keepLines,
        };
        abi.AddTo(command);
        command.Options.Add(kernelInlines);
        kernelBtf.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(check) && r.GetValue(accept))
            {
                r.AddError("use --check or --accept, not both");
            }
        });
        command.SetAction(pr =>
        {
            var o = pr.InvocationConfiguration.Output;
            var e = pr.InvocationConfiguration.Error;
            var loaded = ObjectInputs.LoadAll(pr.GetValue(objects) ?? [], e);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            if (!kernelBtf.TryResolve(pr, e, out var kernel))
            {
                return ExitCodes.BadInput;
            }

            var kabi = abi.Resolve(pr);
            string directory = pr.GetValue(dir)!;
            var entries = new List<SnapshotEntry>();
            int rejected = ExitCodes.Success;
            foreach (var obj in loaded)
            {
                ProgressReporter.Step("fixing up", obj.FileName, loaded.IndexOf(obj), loaded.Count);
                var options = new RewriteOptions { Abi = kabi, KernelInlines = pr.GetValue(kernelInlines), KernelBtf = kernel };
                if (!ObjectInputs.TryFixup(obj, options, "no snapshot", e, out var outcome, out int code))
                {
                    rejected = Math.Max(rejected, code);
                    continue;
                }

                // The header names the option: a snapshot with the helper inlines is a different stream.
                string abiText = pr.GetValue(kernelInlines) ? kabi.Name + " +kernel-inlines" : kabi.Name;
                entries.AddRange(ObjectSnapshots.Entries(outcome, abiText, SnapshotOwner.Of(obj.FileName, directory), pr.GetValue(keepLines))!);
            }

            var mode = pr.GetValue(check) ? SnapshotMode.Check : pr.GetValue(accept) ? SnapshotMode.Accept : SnapshotMode.Default;
            var result = SnapshotRunner.Run(directory, entries, new SnapshotRunOptions
            {
                Mode = mode,
                Environment = Environment.GetEnvironmentVariable,
                ObjectStems = loaded.Select(x => SnapshotNaming.ObjectStem(x.FileName)).ToList(),
                Owners = loaded.Select(x => SnapshotOwner.Of(x.FileName, directory)).ToList(),
                Inputs = pr.GetValue(objects),
                DisplayDirectory = directory,
            });

            // Errors go to stderr only, one line each, naming the file under --dir as given.
            o.Write(result.Describe(includeErrors: false));
            int matched = result.Entries.Count(x => x.Outcome == SnapshotOutcome.Matched);
            o.Write($"{entries.Count} snapshot(s) in {Printable.Escape(directory)}: {matched} matched, {result.Entries.Count(x => x.IsFailure)} failed, {result.Dangling.Count} dangling ({result.Mode.ToString().ToLowerInvariant()} mode)\n");
            if (result.NextStep(Printable.Escape(directory)) is { } next)
            {
                o.Write(next + "\n");
            }
            if (result.ExitCode == 2)
            {
                // The report above is on stdout; say what went wrong where errors go, once per problem.
                foreach (var line in result.Errors)
                {
                    CliErrors.Write(e, line);
                }

                // Entry errors only repeat a run-level error (an unusable directory) when there is one.
                foreach (var entry in result.Entries.Where(x => x.Outcome == SnapshotOutcome.Error && result.Errors.Count == 0))
                {
                    CliErrors.Write(e, $"{Path.Combine(directory, entry.FileName)}: {entry.Error}");
                }

                foreach (var c in result.Collisions)
                {
                    CliErrors.Write(e, $"{c.FileName}: file name collision between {string.Join(", ", c.Keys)}");
                }

                return ExitCodes.BadInput;
            }

            return Math.Max(rejected, result.ExitCode != 0 ? ExitCodes.CheckFailed : ExitCodes.Success);
        });
        return command;
    }
}
