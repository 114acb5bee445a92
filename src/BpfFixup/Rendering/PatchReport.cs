// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.IO;
using BpfFixup.Model;
using BpfFixup.Rendering.Json;
using BpfFixup.Rewrite;

namespace BpfFixup.Rendering;

/// <summary>The JSON report of a patch run.</summary>
public static class PatchReport
{
    private static readonly CheckJsonContext Context = new(ReadableJson.From(CheckJsonContext.Default.Options));

    /// <summary>The model of one object's rewrite.</summary>
    public static PatchObject Model(string file, string? output, bool written, RewriteResult r)
    {
        var s = r.Summary;
        return new PatchObject(
            file,
            output,
            written,
            s?.Abi ?? string.Empty,
            s?.Unchanged ?? false,
            s?.IsReturnInlined ?? 0,
            s?.CookieInlined ?? 0,
            s?.Kept ?? 0,
            s?.SlotsBefore ?? 0,
            s?.SlotsAfter ?? 0,
            s?.Specialised.Select(x => new PatchSpecialisation(x.Original, x.Copy)).ToList() ?? [],
            s?.DroppedSections ?? [],
            r.Inlined.Select(i => new PatchInlinedSite(i.Section, i.OriginalSlot, i.Slot, i.Length, SessionKfuncs.NameOf(i.Kfunc))).ToList(),
            r.Diagnostics.Select(CheckReport.Model).ToList())
        {
            HelpersInlined = s is { KernelInlines: true } ? s.HelpersInlined : null,
            HelpersKept = s is { KernelInlines: true } ? s.HelpersKept : null,
        };
    }

    /// <summary>Serialises the report.</summary>
    public static string Json(IReadOnlyList<PatchObject> objects) =>
        JsonSerializer.Serialize(new PatchDocument(JsonDocuments.SchemaVersion, objects), Context.PatchDocument) + "\n";
}
