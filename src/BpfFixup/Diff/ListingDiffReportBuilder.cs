// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>Builds the <see cref="ListingDiffReport"/> of a <see cref="ListingDiffResult"/>.</summary>
internal static class ListingDiffReportBuilder
{
    public static ListingDiffReport Build(ListingDiffResult result)
    {
        var programs = new List<ProgramDiffReport>(result.Programs.Count);
        var rows = StatTable.Rows(result);
        var functionLines = new FunctionLines();
        for (var i = 0; i < result.Programs.Count; i++)
        {
            var p = result.Programs[i];
            var a = p.Old?.InstructionCount;
            var b = p.New?.InstructionCount;
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
                Hunks = Hunks(p, functionLines.Of(p.Old)),
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

    private static List<HunkReport> Hunks(ProgramDiff p, FunctionNames.Index functions)
    {
        var oldText = ListingUnifiedWriter.Texts(p.Old);
        var newText = ListingUnifiedWriter.Texts(p.New);
        var hunks = new List<HunkReport>(p.Hunks.Count);
        foreach (var h in p.Hunks)
        {
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
