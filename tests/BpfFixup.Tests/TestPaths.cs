// SPDX-License-Identifier: MIT
namespace BpfFixup.Tests;

/// <summary>Locations in the repository, found by walking up to the folder holding BpfFixup.sln.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BpfFixup.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("BpfFixup.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>samples/obj.</summary>
    public static string SampleObjects => Path.Combine(RepoRoot, "samples", "obj");

    /// <summary>Every committed sample object, sorted by name.</summary>
    public static IReadOnlyList<string> AllSamples()
    {
        var files = Directory.GetFiles(SampleObjects, "*.o");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// The CO-RE samples (samples/obj/core, built from samples/src/core on a hand-written vmlinux-like header), sorted,
    /// as paths. They are not in <see cref="AllSamples"/>: their programs attach to kernel functions and types the
    /// kernel tier's guest does not have, so they serve the listing and ELF-reader comparisons only.
    /// </summary>
    public static IReadOnlyList<string> CoreSamples()
    {
        var files = Directory.GetFiles(Path.Combine(SampleObjects, "core"), "*.o");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>CO-RE sample names (file names in samples/obj/core) as xunit theory data.</summary>
    public static TheoryData<string> CoreSampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in CoreSamples())
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    /// <summary>Sample object names as xunit theory data.</summary>
    public static TheoryData<string> SampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in AllSamples())
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    /// <summary>The full path of sample <paramref name="name"/>.</summary>
    public static string Sample(string name) => Path.Combine(SampleObjects, name);
}
