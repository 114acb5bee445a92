// SPDX-License-Identifier: MIT
namespace BpfFixup.Tests.Interop;

/// <summary>
/// A fact that needs external tools: skipped with "&lt;tool&gt; not found on PATH" when one is missing, unless
/// BPFFIXUP_REQUIRE_INTEROP=1, in which case it runs and fails through <see cref="ExternalTool.Require"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class InteropFactAttribute : FactAttribute
{
    /// <summary>Declares the tools the test runs.</summary>
    public InteropFactAttribute(params string[] tools)
    {
        Tools = tools;
        string? reason = ExternalTool.SkipReason(tools);
        if (reason is not null)
        {
            Skip = reason;
        }
    }

    /// <summary>The tools the test needs.</summary>
    public IReadOnlyList<string> Tools { get; }
}
