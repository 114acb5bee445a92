// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Diff;
using BpfFixup.Model;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;

namespace BpfFixup.Cli.Commands;

/// <summary><c>bpffixup diff &lt;a.o&gt; [&lt;b.o&gt;]</c>: instruction-stream diffs with targets as labels.</summary>
internal static class DiffCommand
{
    /// <summary>The largest <c>--context</c>: more than any program has lines, small enough that index arithmetic cannot overflow.</summary>
    private const int MaxContext = 100_000_000;

    /// <summary>Whether output <paramref name="format"/> shows hunks; <c>stat</c> shows counts and verdicts only, so no edit script is computed for it.</summary>
    internal static bool NeedsHunks(string? format) => format != "stat";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objects = new Argument<string[]>("obj") { Description = "Two objects to compare, or one with --fixup", Arity = new ArgumentArity(1, 2) }.FilePaths();
        var program = new Option<string?>("--program") { Description = "Only the program with this name" };
        var fixup = new Option<bool>("--fixup") { Description = "Compare the streams after the fixup (with one object: before against after)" };
        var context = new Option<int>("--context") { Description = "Context lines per hunk", DefaultValueFactory = _ => 3 }.Range(0, MaxContext);
        var format = new Option<string>("--format") { Description = "unified, json, or stat (a veristat-style table)", DefaultValueFactory = _ => "unified" }.OneOf("unified", "json", "stat");
        var abi = new AbiOptions();
        var kernelInlines = KernelInlinesOption.Create();
        var command = new Command("diff", "Diff the programs of two objects (or what the fixup does to one); exit 1 when they differ")
        {
            objects, program, fixup, context, format,
        };
        abi.AddTo(command);
        command.Options.Add(kernelInlines);
        command.Validators.Add(r =>
        {
            if ((r.GetValue(objects)?.Length ?? 0) == 1 && !r.GetValue(fixup))
            {
                r.AddError("diff takes two objects, or one object with --fixup");
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

            var options = new RewriteOptions { Abi = abi.Resolve(pr), KernelInlines = pr.GetValue(kernelInlines) };
            string? only = pr.GetValue(program);
            int n = pr.GetValue(context);
            ListingDiffResult result;
            if (loaded.Count == 1)
            {
                var outcome = FixupPipeline.Run(loaded[0], options);
                if (outcome.Rejected is { } rejected)
                {
                    return ObjectInputs.WriteRejected(loaded[0], "no fixup to show", rejected, e);
                }

                result = FixupDiff.OfFixup(outcome, only, n, NeedsHunks(pr.GetValue(format)));
            }
            else
            {
                var sides = new List<IReadOnlyList<ProgramListing>>();
                foreach (var obj in loaded)
                {
                    if (!pr.GetValue(fixup))
                    {
                        sides.Add(FixupDiff.Listings(obj, null, only));
                        continue;
                    }

                    var outcome = FixupPipeline.Run(obj, options);
                    if (outcome.Rejected is { } rejected)
                    {
                            return ObjectInputs.WriteRejected(obj, "no fixup to compare", rejected, e);
                    }

                    sides.Add(FixupDiff.Listings(outcome.Patched!, outcome.Rewrite!.Inlined, only));
                }

                ProgressReporter.Step("comparing", files[0], 0, 1);
                result = ListingDiff.Compare(files[0], sides[0], files[1], sides[1], n, NeedsHunks(pr.GetValue(format)));
            }

            if (only is not null && result.Programs.Count == 0)
            {
                CliErrors.Write(e, $"no program '{only}'");
                return ExitCodes.BadInput;
            }

            string format1 = pr.GetValue(format) ?? "unified";
            if (format1 == "json")
            {
                o.Write(result.ToJson());
                o.Write('\n');
            }
            else if (format1 == "stat")
            {
                o.Write(result.RenderStatTable());
            }
            else if (result.HasDifferences)
            {
                o.Write(result.RenderUnified());
            }

            return result.HasDifferences ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }
}
