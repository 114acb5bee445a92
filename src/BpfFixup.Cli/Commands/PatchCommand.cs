// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Diagnostics;
using BpfFixup.IO;
using BpfFixup.Rendering;
using BpfFixup.Rendering.Json;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;
using BpfFixup.Text;
using System.Text;

namespace BpfFixup.Cli.Commands;

/// <summary><c>bpffixup patch</c>: inline the session kfuncs and write the patched object atomically.</summary>
internal static class PatchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objects = new Argument<string[]>("obj") { Description = "BPF ELF object files (.o)", Arity = ArgumentArity.OneOrMore }.FilePaths();
        var output = new Option<string?>("--output", "-o") { Description = "The patched object (one input only); - for stdout" }.FilePath();
        var outDir = new Option<string?>("--out-dir") { Description = "Write each patched object under this directory with its file name" }.FilePath();
        var inPlace = new Option<bool>("--in-place") { Description = "Replace each input with its patched object" };
        var report = new Option<string?>("--report") { Description = "Write a JSON report of what was done to this file; - for stdout" }.FilePath();
        var dryRun = new Option<bool>("--dry-run") { Description = "Do everything but write objects" };
        var keepDebug = new Option<bool>("--keep-debug") { Description = "Keep DWARF sections although code moved (they become stale)" };
        var diff = new Option<bool>("--diff") { Description = "Print the before/after listing diff of each object" };
        var color = ColorOption.Create("With --diff: colour it as git does: auto (a terminal, and NO_COLOR unset), always or never");
        var verify = new Option<bool>("--verify") { Description = "Load each patched object again and check it before writing it" };
        var abi = new AbiOptions();
        var kernelInlines = KernelInlinesOption.Create();
        var kernelBtf = new KernelBtfOption();
        var command = new Command("patch", "Inline bpf_session_is_return/bpf_session_cookie as the kernel's fixup does, and write the patched object")
        {
            objects, output, outDir, inPlace, report, dryRun, keepDebug, diff, color, verify,
        };
        abi.AddTo(command);
        command.Options.Add(kernelInlines);
        kernelBtf.AddTo(command);
        command.Validators.Add(r =>
        {
            // Presence only: a bad value of the option is already a parse error, and GetValue would throw on it.
            int targets = (r.GetResult(output) is null ? 0 : 1) + (r.GetResult(outDir) is null ? 0 : 1) + (r.GetValue(inPlace) ? 1 : 0);
            if (targets > 1)
            {
                r.AddError("use only one of --output, --out-dir and --in-place");
            }
            else if (targets == 0 && !r.GetValue(dryRun))
            {
                r.AddError("say where to write: --output, --out-dir, --in-place (or --dry-run)");
            }

            if (r.GetResult(output) is not null && (r.GetResult(objects)?.Tokens.Count ?? 0) > 1)
            {
                r.AddError("--output takes one input; use --out-dir for several");
            }
        });
        command.SetAction(pr =>
        {
            var o = pr.InvocationConfiguration.Output;
            var e = pr.InvocationConfiguration.Error;
            var files = pr.GetValue(objects) ?? [];
            var loaded = ObjectInputs.LoadAll(files, e);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            // Every output is checked before anything is written (OutputPlan): never an input, never twice, never a device.
            bool dry = pr.GetValue(dryRun);
            var targets = loaded.Select(obj => pr.GetValue(inPlace) ? obj.FileName
                : pr.GetValue(output) ?? (pr.GetValue(outDir) is { } dir ? Path.Combine(dir, Path.GetFileName(obj.FileName)) : null)).ToList();
            var plan = new OutputPlan();
            files.ToList().ForEach(plan.AddInput);
            var slots = new int?[loaded.Count];
            for (int i = 0; i < loaded.Count && !dry; i++)
            {
                if (targets[i] is { } t)
                {
                    slots[i] = pr.GetValue(inPlace) ? plan.AddOutput(t, "--in-place", inPlaceOf: files[i])
                        : plan.AddOutput(t, pr.GetValue(output) is null ? "--out-dir" : "--output", allowStdout: pr.GetValue(output) is not null);
                }
            }

            int? reportSlot = pr.GetValue(report) is { } reportPath ? plan.AddOutput(reportPath, "--report", allowStdout: true) : null;
            if (plan.Check() is { } refused)
            {
                CliErrors.Write(e, refused);
                return ExitCodes.BadInput;
            }

            if (pr.GetValue(outDir) is { } outDirectory && !dry && !TryCreateDirectory(outDirectory, e))
            {
                return ExitCodes.BadInput;
            }

            // With an object or the report on stdout, the summary lines go to stderr.
            var summary = plan.UsesStandardOutput ? e : o;
            bool colored = pr.GetValue(diff) && ColorOption.Resolve(pr.GetValue(color), summary);
            if (!kernelBtf.TryResolve(pr, e, out var kernel))
            {
                return ExitCodes.BadInput;
            }

            bool reporting = reportSlot is not null; // the report model is built only when asked for
            var options = new RewriteOptions
            {
                Abi = abi.Resolve(pr),
                KeepDebug = pr.GetValue(keepDebug),
                KernelInlines = pr.GetValue(kernelInlines),
                KernelBtf = kernel,
                Listings = reporting || pr.GetValue(diff), // the inline sites and the old-to-new map, only for what lists them
            };
            var reports = new List<PatchObject>();
            int exit = ExitCodes.Success;
            for (int i = 0; i < loaded.Count; i++)
            {
                var obj = loaded[i];
                ProgressReporter.Step("patching", obj.FileName, i, loaded.Count);
                bool fixedUp = ObjectInputs.TryFixup(obj, options, "not patched", e, out var outcome, out int code, pr.GetValue(verify));
                var result = outcome.Rewrite!;
                string? target = targets[i];
                if (!fixedUp)
                {
                    if (reporting)
                    {
                        reports.Add(PatchReport.Model(obj.FileName, target, false, result));
                    }

                    exit = Math.Max(exit, code);
                    continue;
                }

                ObjectInputs.WriteDiagnostics(result.Diagnostics, e);

                bool written = false;
                if (slots[i] is int slot)
                {
                    if (!Write(plan, slot, target!, result.Output!, o, e))
                    {
                        return ExitCodes.BadInput;
                    }

                    written = true;
                }

                summary.Write(Printable.Escape(result.Summary!.Describe(obj.FileName) + (written ? $" -> {target}" : dry ? " (dry run)" : string.Empty)) + "\n");
                if (pr.GetValue(diff))
                {
                    summary.Write(FixupDiff.OfFixup(outcome, null, 3).RenderUnified(colored));
                }

                if (reporting)
                {
                    reports.Add(PatchReport.Model(obj.FileName, target, written, result));
                }
            }

            if (reportSlot is int r)
            {
                string json = PatchReport.Json(reports);
                if (plan.IsStandardOutput(r))
                {
                    o.Write(json);
                    o.Write('\n');
                }
                else if (!Write(plan, r, pr.GetValue(report)!, new UTF8Encoding(false).GetBytes(json), o, e))
                {
                    return ExitCodes.BadInput;
                }
            }

            return exit;
        });
        return command;
    }

    /// <summary>Writes output <paramref name="slot"/> of <paramref name="plan"/>: to stdout for <c>-</c>, else atomically to the file.</summary>
    private static bool Write(OutputPlan plan, int slot, string path, byte[] bytes, TextWriter output, TextWriter error)
    {
        if (plan.IsStandardOutput(slot))
        {
            if (output is not StreamWriter { BaseStream: var stream })
            {
                CliErrors.Write(error, "-: stdout does not take binary data here");
                return false;
            }

            output.Flush();
            stream.Write(bytes);
            return true;
        }

        var bag = new DiagnosticBag();
        if (!AtomicFile.TryWriteAllBytes(path, bytes, bag))
        {
            CliErrors.Write(error, bag.Items[0]);
            return false;
        }

        return true;
    }

    /// <summary>Creates <c>--out-dir</c> when missing (like <c>mkdir -p</c>); one error line and false when it cannot be.</summary>
    private static bool TryCreateDirectory(string directory, TextWriter error)
    {
        try
        {
            Directory.CreateDirectory(directory);
            return true;
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            string why = File.Exists(directory) ? "a file is in the way" : IoErrors.Describe(ex, directory);
            CliErrors.Write(error, $"{directory}: cannot create the output directory: {why}");
            return false;
        }
    }
}
