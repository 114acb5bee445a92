// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Tests;

/// <summary>Loading helpers shared by the tests.</summary>
internal static class TestHelpers
{
    /// <summary>Loads a committed sample, failing the test on a load error.</summary>
    public static BpfObject LoadSample(string name) => Load(File.ReadAllBytes(TestPaths.Sample(name)), name);

    /// <summary>Loads bytes, failing the test on a load error.</summary>
    public static BpfObject Load(byte[] bytes, string name)
    {
        var diags = new DiagnosticBag();
        Assert.True(ObjectLoader.TryLoad(bytes, name, diags, out var obj), string.Join("\n", diags.Items));
        return obj!;
    }

    /// <summary>The object in the file at <paramref name="path"/>, or null when the loader refuses it (a fuzzing find may be any bytes).</summary>
    public static BpfObject? LoadIfValid(string path) =>
        ObjectLoader.TryLoad(File.ReadAllBytes(path), Path.GetFileName(path), new DiagnosticBag(), out var obj) ? obj : null;
}
