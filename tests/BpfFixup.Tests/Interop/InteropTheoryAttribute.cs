// SPDX-License-Identifier: MIT
namespace BpfFixup.Tests.Interop;

/// <summary>The theory form of <see cref="InteropFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class InteropTheoryAttribute : TheoryAttribute
{
    /// <summary>Declares the tools the test runs.</summary>
    public InteropTheoryAttribute(params string[] tools)
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
