// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Rendering.Sarif;
using BpfFixup.Rewrite;

namespace BpfFixup.Cli.Commands;

/// <summary><c>bpffixup check &lt;obj&gt;...</c>: the verifier-like pass, its diagnostics and per-program report.</summary>
internal static class CheckCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objects = new Argument<string[]>("obj") { Description = "BPF ELF object files (.o)", Arity = ArgumentArity.OneOrMore }.FilePaths();
        var format = new Option<string>("--format") { Description = "Output format: text, json or sarif (SARIF 2.1.0)", DefaultValueFactory = _ => "text" }.OneOf("text", "json", "sarif");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Text format: print the diagnostics only, without the summary and per-program lines" };
        var abi = new AbiOptions();
        var sourceRoot = new Option<string?>("--source-root")
        {
            Description = "SARIF: the directory source paths are relative to; paths under it become relative URIs with uriBaseId SRCROOT",
        }.FilePath();
        var kernelBtf = new KernelBtfOption();
        var command = new Command("check", "Verify where ctx is at every session-kfunc call, with the kernel's wording; exit 1 on errors") { objects, format, quiet, sourceRoot };
        abi.AddTo(command);
        kernelBtf.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(quiet) && r.GetResult(format) is { Implicit: false } && r.GetValue(format) != "text")
            {
                r.AddError("--quiet is for --format text (json and sarif are for tools)");
            }
        });
        command.SetAction(pr =>
        {
            var output = pr.InvocationConfiguration.Output;
            bool sarif = pr.GetValue(format) == "sarif";

            // SARIF records an unreadable input as a tool execution notification and goes on with the others.
            var failures = new List<Diagnostic>();
            var loaded = sarif ? ObjectInputs.LoadEach(pr.GetValue(objects) ?? [], pr.InvocationConfiguration.Error, failures)
                : ObjectInputs.LoadAll(pr.GetValue(objects) ?? [], pr.InvocationConfiguration.Error);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            if (!kernelBtf.TryResolve(pr, pr.InvocationConfiguration.Error, out var kernel))
            {
                return ExitCodes.BadInput;
            }

            var options = new RewriteOptions { Abi = abi.Resolve(pr), KernelBtf = kernel };
            string abiName = options.Abi.Name;
            var outcome = new Verdicts();
            // Each object is checked as its report is written and then dropped (issue 8's memory bound): one
            // object's model and analysis live at a time, never all of them, nor a whole document.
            var pending = new Queue<BpfObject>(loaded);
            loaded.Clear();
            // The loader's scratch (the files' sections decoded into the models) is garbage now; collected while
            // little is live, it does not linger in an older generation until the analysis's own collections (check
            // of an object of 4,001 sections peaked at 66 MB, 56 MB with this collection: issue 11's limit of 4 x
            // the object + 40 MB is 59 MB there). Once per run, not per object: each full collection marks every
            // object still queued, and one per object made check of 400 small objects 16 times slower.
            GC.Collect();
            var results = outcome.Of(pending, options);
            switch (pr.GetValue(format))
            {
                case "json":
                    CheckReport.WriteJson(output, results, abiName);
                    break;
                case "sarif":
                    CheckReport.WriteSarif(output, results, new SarifOptions { Version = ToolVersion.Value, SourceRoot = pr.GetValue(sourceRoot), InputFailures = failures });
                    break;
                default:
                    CheckReport.WriteText(output, results, abiName, pr.GetValue(quiet));
                    break;
            }

            // Damage only the fixup finds (a .BTF.ext it cannot carry over) is bad input, as in patch: exit 2.
            return failures.Count > 0 || outcome.InputDamaged ? ExitCodes.BadInput
                : outcome.HasErrors ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The verdicts of the objects, one at a time, and what their diagnostics say for the exit code.</summary>
    private sealed class Verdicts
    {
        /// <summary>True once an object's error is damage in the input.</summary>
        public bool InputDamaged { get; private set; }

        /// <summary>True once an object has an error.</summary>
        public bool HasErrors { get; private set; }

        /// <summary>
        /// Checks each object of <paramref name="pending"/> when the report asks for it, taking it off the queue so
        /// that nothing here holds it once its report is written.
        /// </summary>
        public IEnumerable<AnalysisResult> Of(Queue<BpfObject> pending, RewriteOptions options)
        {
            int count = pending.Count;
            for (int i = 0; i < count; i++)
            {
                yield return Next(pending, i, count, options);
            }
        }

        // Not in the iterator: its locals would be fields that hold the object after its report is written.
        private AnalysisResult Next(Queue<BpfObject> pending, int index, int count, RewriteOptions options)
        {
            var obj = pending.Dequeue();
            ProgressReporter.Step("checking", obj.FileName, index, count);
            var verdict = FixupPipeline.Verify(obj, options);
            InputDamaged |= verdict.Diagnostics.Any(d => d.Severity == Severity.Error && FixupPipeline.IsInputDamage(d));
            HasErrors |= verdict.HasErrors;
            return verdict;
        }
    }
}
