// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Diagnostics;
using BpfFixup.IO;
using BpfFixup.Rendering;
using BpfFixup.Rendering.Json;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;

namespace BpfFixup.Cli.Commands;

/// <summary><c>bpffixup patch</c>: inline the session kfuncs and write the patched object atomically.</summary>
internal static class PatchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objects = new Argument<string[]>("obj") { Description = "BPF ELF object files (.o)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "The patched object (one input only)" };
        var outDir = new Option<string?>("--out-dir") { Description = "Write each patched object under this directory with its file name" };
        var inPlace = new Option<bool>("--in-place") { Description = "Replace each input with its patched object" };
        var report = new Option<string?>("--report") { Description = "Write a JSON report of what was done to this file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Do everything but write objects" };
        var keepDebug = new Option<bool>("--keep-debug") { Description = "Keep DWARF sections although code moved (they become stale)" };
        var diff = new Option<bool>("--diff") { Description = "Print the before/after listing diff of each object" };
        var abi = new AbiOptions();
        var command = new Command("patch", "Inline bpf_session_is_return/bpf_session_cookie as the kernel's fixup does, and write the patched object")
        {
            objects, output, outDir, inPlace, report, dryRun, keepDebug, diff,
        };
        abi.AddTo(command);
        command.Validators.Add(r =>
        {
            int targets = (r.GetValue(output) is null ? 0 : 1) + (r.GetValue(outDir) is null ? 0 : 1) + (r.GetValue(inPlace) ? 1 : 0);
            if (targets > 1)
            {
                r.AddError("use only one of --output, --out-dir and --in-place");
            }
            else if (targets == 0 && !r.GetValue(dryRun))
            {
                r.AddError("say where to write: --output, --out-dir, --in-place (or --dry-run)");
            }

            if (r.GetValue(output) is not null && (r.GetValue(objects)?.Length ?? 0) > 1)
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

            if (pr.GetValue(outDir) is { } outDirectory && !pr.GetValue(dryRun) && !TryCreateDirectory(outDirectory, e))
            {
                return ExitCodes.BadInput;
            }

            var options = new RewriteOptions { Abi = abi.Resolve(pr), KeepDebug = pr.GetValue(keepDebug) };
            var reports = new List<PatchObject>();
            int exit = ExitCodes.Success;
            foreach (var obj in loaded)
            {
                var outcome = FixupPipeline.Run(obj, options);
                var result = outcome.Rewrite!;
                ObjectInputs.WriteDiagnostics(result.Diagnostics, e);
                string? target = pr.GetValue(inPlace) ? obj.FileName
                    : pr.GetValue(output) ?? (pr.GetValue(outDir) is { } dir ? Path.Combine(dir, Path.GetFileName(obj.FileName)) : null);
                if (outcome.Rejected is { } rejected)
                {
                    e.Write($"{obj.FileName}: not patched: {rejected.Reason} (see the errors above)\n");
                    reports.Add(PatchReport.Model(obj.FileName, target, false, result));
                    exit = Math.Max(exit, ExitCodes.CheckFailed);
                    continue;
                }

                bool written = false;
                if (target is not null && !pr.GetValue(dryRun))
                {
                    if (!pr.GetValue(inPlace) && SamePath(target, obj.FileName))
                    {
                        CliErrors.Write(e, $"{obj.FileName}: the output would overwrite the input; use --in-place to mean that");
                        return ExitCodes.BadInput;
                    }

                    var bag = new DiagnosticBag();
                    if (!AtomicFile.TryWriteAllBytes(target, result.Output, bag))
                    {
                        CliErrors.Write(e, bag.Items[0]);
                        return ExitCodes.BadInput;
                    }

                    written = true;
                }

                o.Write(result.Summary!.Describe(obj.FileName) + (written ? $" -> {target}" : pr.GetValue(dryRun) ? " (dry run)" : string.Empty) + "\n");
                if (pr.GetValue(diff))
                {
                    o.Write(FixupDiff.OfFixup(outcome, null, 3).RenderUnified());
                }

                reports.Add(PatchReport.Model(obj.FileName, target, written, result));
            }

            if (pr.GetValue(report) is { } reportPath)
            {
                var bag = new DiagnosticBag();
                if (!AtomicFile.TryWriteAllText(reportPath, PatchReport.Json(reports), bag))
                {
                    CliErrors.Write(e, bag.Items[0]);
                    return ExitCodes.BadInput;
                }
            }

            return exit;
        });
        return command;
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

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
