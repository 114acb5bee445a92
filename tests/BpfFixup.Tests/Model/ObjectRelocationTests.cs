// SPDX-License-Identifier: MIT
using BpfFixup.Pipeline;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Model;

/// <summary>
/// An ObjectRelocation reads its entry and symbol from the loaded file (it stores only its position and its section's
/// table): on every sample each one is the entry of its SHT_REL section at its index, on the instruction it names, and
/// stays so after the object was patched (the patcher edits a copy of the file).
/// </summary>
public class ObjectRelocationTests
{
    public static TheoryData<string> Samples() => [.. TestPaths.AllSamples()];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Each_relocation_is_its_entry_in_the_loaded_file(string path)
    {
        var obj = TestHelpers.Load(File.ReadAllBytes(path), Path.GetFileName(path));
        var before = Views(obj);
        Assert.All(before, v => Assert.Equal(v.Expected, v.Actual));
        _ = FixupPipeline.Run(obj, new RewriteOptions());
        Assert.Equal(before.Select(v => v.Actual), Views(obj).Select(v => v.Actual));
    }

    private static List<(object Expected, object Actual)> Views(BpfFixup.Model.BpfObject obj)
    {
        var views = new List<(object, object)>();
        foreach (var code in obj.CodeSections)
        {
            for (int i = 0; i < code.Instructions.Length; i++)
            {
                if (code.Relocations[i] is not { } r)
                {
                    continue;
                }

                var entry = obj.Elf.GetRelocations(r.RelSection)[r.EntryIndex];
                views.Add(((entry, obj.Elf.Symbols[(int)entry.SymbolIndex], (ulong)code.Slots[i] * 8), (r.Raw, r.Symbol, r.Raw.Offset)));
            }
        }

        return views;
    }
}
