// SPDX-License-Identifier: MIT
namespace BpfFixup.Tests.TestKit;

/// <summary>
/// Tests that set process environment variables (<c>BPFFIXUP_ACCEPT</c>, <c>CI</c>) run in this collection: xunit runs
/// it alone, after the parallel ones, so no other test (SnapshotAssert reads the same variables) sees the change.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "environment";
}

/// <summary>Sets environment variables for a test and restores the previous values on dispose.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> saved = new(StringComparer.Ordinal);

    /// <summary>Sets <paramref name="name"/> (null unsets it), remembering the first value it had.</summary>
    public EnvironmentScope Set(string name, string? value)
    {
        saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
