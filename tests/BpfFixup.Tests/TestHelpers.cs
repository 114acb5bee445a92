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
}
