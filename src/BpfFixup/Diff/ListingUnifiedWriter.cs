// SPDX-License-Identifier: MIT
using System.Text;

using BpfFixup.Text;

namespace BpfFixup.Diff;

/// <summary>Writes the unified text of a <see cref="ListingDiffResult"/>.</summary>
internal static class ListingUnifiedWriter
{
    public static string Render(ListingDiffResult result, bool color)
    {
        var sb = new StringBuilder();
        foreach (var p in result.Programs)
        {
            if (p.Status == ProgramDiffStatus.Identical)
            {
                continue;
            }

            foreach (var line in (p.New ?? p.Old)!.Header)
            {
                UnifiedDiff.AppendMeta(sb, Printable.Escape(line), color);
            }

            UnifiedDiff.AppendMeta(sb, "--- " + Printable.Escape(p.Old is null ? "/dev/null" : result.OldFile + ":" + p.Key), color);
            UnifiedDiff.AppendMeta(sb, "+++ " + Printable.Escape(p.New is null ? "/dev/null" : result.NewFile + ":" + p.Key), color);
            var oldText = Texts(p.Old);
            var newText = Texts(p.New);
            var functions = new FunctionNames.Index(oldText);
            foreach (var hunk in p.Hunks)
            {
                UnifiedDiff.AppendHunk(sb, hunk, oldText, newText, functions, color);
            }
        }

        return sb.ToString();
    }

    internal static string[] Texts(ProgramListing? program)
    {
        if (program is null)
        {
            return [];
        }

        var texts = new string[program.Lines.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = program.Lines[i].Text;
        }

        return texts;
    }
}
