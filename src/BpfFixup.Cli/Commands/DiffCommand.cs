// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Diff;
using BpfFixup.IO;
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
        var section = new Option<string[]>("--section", "-j") { Description = "Only the programs in the ELF section with this exact name (repeatable, as llvm-objdump's -j)", AllowMultipleArgumentsPerToken = false };
        var fixup = new Option<bool>("--fixup") { Description = "Compare the streams after the fixup (with one object: before against after)" };
        var context = new Option<int>("--context", "-U", "--unified") { Description = "Context lines per hunk (git's -U/--unified)", DefaultValueFactory = _ => 3 }.Range(0, MaxContext);
        var format = new Option<string>("--format") { Description = "unified, json, or stat (veristat's comparison table)", DefaultValueFactory = _ => "unified" }.OneOf("unified", "json", "stat");
        var outputFormat = new Option<string>("--output-format", "-o") { Description = "With --format stat: table or csv (veristat's -o)", DefaultValueFactory = _ => "table" }.OneOf("table", "csv");
        var color = ColorOption.Create("Colour the unified diff and --stat as git does: auto (a terminal, and NO_COLOR unset), always or never");
        var keepLines = new Option<bool>("--keep-line-numbers") { Description = "Keep source line numbers in the source comments (left out by default, as in snapshots: they move with edits elsewhere in the file)" };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing; the exit code says whether the programs differ" };
        var stat = new Option<bool>("--stat") { Description = "git's --stat: one line per changed program and a summary, instead of the diff" };
        var abi = new AbiOptions();
        var kernelInlines = KernelInlinesOption.Create();
        var command = new Command("diff", "Diff the programs of two objects (or what the fixup does to one); exit 1 when they differ")
        {
            objects, program, section, fixup, context, format, outputFormat, color, quiet, stat, keepLines,
        };
        abi.AddTo(command);
        command.Options.Add(kernelInlines);
        command.Validators.Add(r =>
        {
            if ((r.GetValue(objects)?.Length ?? 0) == 1 && !r.GetValue(fixup))
            {
                r.AddError("diff takes two objects, or one object with --fixup");
            }

            // The token, not GetValue: a value --format rejects (its own error) must not throw here.
            string f = r.GetResult(format) is { Tokens.Count: > 0 } given ? given.Tokens[^1].Value : "unified";
            if (r.GetValue(stat) && f is "json" or "stat")
            {
                r.AddError($"--stat is the unified diff's summary; it does not combine with --format {f}");
            }

            if (r.GetResult(outputFormat) is { Implicit: false } && f != "stat")
            {
                r.AddError("--output-format applies to --format stat");
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
            string[] sections1 = pr.GetValue(section) ?? [];
            IReadOnlyCollection<string>? onlySections = sections1.Length == 0 ? null : sections1;
            bool lines = pr.GetValue(keepLines);
            int n = pr.GetValue(context);
            string format1 = pr.GetValue(format) ?? "unified";
            bool quiet1 = pr.GetValue(quiet);

            // The stat table, the CSV and --quiet only tell equal from different: no diff is computed for them.
            bool hunks = !quiet1 && NeedsHunks(format1);
            ListingDiffResult result;
            if (loaded.Count == 1)
            {
                if (!ObjectInputs.TryFixup(loaded[0], options, "no fixup to show", e, out var outcome, out int rejected))
                {
                    return rejected;
                }

                result = FixupDiff.OfFixup(outcome, only, n, hunks, lines, onlySections);
            }
            else
            {
                var sides = new List<IReadOnlyList<ProgramListing>>();
                var cache = new ListingCache(); // both sides share their repeated lines and labels
                foreach (var obj in loaded)
                {
                    if (!pr.GetValue(fixup))
                    {
                        sides.Add(FixupDiff.Listings(obj, null, only, lines, onlySections, cache));
                        continue;
                    }

                    if (!ObjectInputs.TryFixup(obj, options, "no fixup to compare", e, out var outcome, out int rejected))
                    {
                        return rejected;
                    }

                    sides.Add(FixupDiff.Listings(outcome.Patched!, outcome.Rewrite!.Inlined, only, lines, onlySections, cache));
                }

                ProgressReporter.Step("comparing", files[0], 0, 1);
                result = ListingDiff.Compare(files[0], sides[0], files[1], sides[1], n, hunks);
            }

            if ((only is not null || onlySections is not null) && result.Programs.Count == 0)
            {
                string inSections = onlySections is null ? string.Empty : string.Join(", ", onlySections.Select(x => $"'{x}'"));
                CliErrors.Write(e, only is null ? $"no program in a section {inSections}" : onlySections is null ? $"no program '{only}'" : $"no program '{only}' in a section {inSections}");
                return ExitCodes.BadInput;
            }

            bool colored = ColorOption.Resolve(pr.GetValue(color), o);
            if (quiet1)
            {
                // git diff --quiet: nothing on stdout, the exit code alone.
            }
            else if (format1 == "json")
            {
                o.Write(result.ToJson());
                o.Write('\n');
            }
            else if (format1 == "stat")
            {
                o.Write(pr.GetValue(outputFormat) == "csv" ? result.RenderStatCsv() : result.RenderStatTable());
            }
            else if (pr.GetValue(stat))
            {
                o.Write(result.RenderDiffStat(colored));
            }
            else if (result.HasDifferences)
            {
                result.WriteUnified(o, colored);
            }

            return result.HasDifferences ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }
}
