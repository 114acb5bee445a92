// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>Builds the <see cref="ListingDiffReport"/> of a <see cref="ListingDiffResult"/>.</summary>
internal static class ListingDiffReportBuilder
{
    public static ListingDiffReport Build(ListingDiffResult result)
    {
        var programs = new List<ProgramDiffReport>(result.Programs.Count);
        var rows = StatTable.Rows(result);
        var repeated = new RepeatedHunks(result);
        var functionLines = new FunctionLines();
        for (var i = 0; i < result.Programs.Count; i++)
        {
            var p = result.Programs[i];
            var a = p.Old?.InstructionCount;
            var b = p.New?.InstructionCount;
            // The unified text's plan, asked for the programs it prints, in the same order.
            var repeats = p.Status == ProgramDiffStatus.Identical ? [] : repeated.Plan(p);
            programs.Add(new ProgramDiffReport
            {
                Key = p.Key,
                Section = p.Section,
                Name = p.Name,
                Status = p.Status.ToString().ToLowerInvariant(),
                InsnsA = a,
                InsnsB = b,
                InsnsDiff = b - a,
                InsnsDiffPercent = a is { } av && b is { } bv ? VeristatFormat.Percent(av, bv) : null,
                ListingA = rows[i][2] == "N/A" ? null : rows[i][2],
                ListingB = rows[i][3] == "N/A" ? null : rows[i][3],
                ListingDiff = rows[i][4],
                Hunks = Hunks(p, functionLines.Of(p.Old), repeats),
                RepeatedHunks = repeats.Count == 0 ? null : [.. repeats.Select(r => new RepeatedHunksReport { Function = r.Function, Count = r.Count, ListedFor = r.ListedFor })],
            });
        }

        return new ListingDiffReport
        {
            OldFile = result.OldFile,
            NewFile = result.NewFile,
            HasDifferences = result.HasDifferences,
            Programs = programs,
        };
    }

    private static List<HunkReport> Hunks(ProgramDiff p, FunctionNames.Index functions, IReadOnlyList<RepeatedHunks.Repeat> repeats)
    {
        var oldText = ListingUnifiedWriter.Texts(p.Old);
        var newText = ListingUnifiedWriter.Texts(p.New);
        var hunks = new List<HunkReport>(p.Hunks.Count);
        for (int k = 0, r = 0; k < p.Hunks.Count; k++)
        {
            if (r < repeats.Count && k == repeats[r].Start)
            {
                k = repeats[r++].End - 1;
                continue;
            }

            var h = p.Hunks[k];
            var lines = new List<string>(h.Lines.Count);
            foreach (var line in h.Lines)
            {
                lines.Add(line.Prefix + (line.Kind == EditKind.Insert ? newText[line.NewIndex] : oldText[line.OldIndex]));
            }

            hunks.Add(new HunkReport
            {
                Function = functions.Before(h.OldStart),
                OldStart = h.OldCount == 0 ? h.OldStart : h.OldStart + 1,
                OldCount = h.OldCount,
                NewStart = h.NewCount == 0 ? h.NewStart : h.NewStart + 1,
                NewCount = h.NewCount,
                Lines = lines,
            });
        }

        return hunks;
    }
}
