// SPDX-License-Identifier: MIT
namespace BpfFixup.Diagnostics;

/// <summary>How serious a diagnostic is. Errors stop a patch from being written.</summary>
public enum Severity : byte
{
    /// <summary>Information for the reader; never changes an exit code.</summary>
    Note = 0,
    /// <summary>Something suspicious; the object is still processed.</summary>
    Warning = 1,
    /// <summary>The kernel would reject the object, or the input is malformed.</summary>
    Error = 2,
}

/// <summary>The severity's word in every report (text, JSON, SARIF <c>level</c>): <c>error</c>, <c>warning</c> or <c>note</c>.</summary>
public static class SeverityNames
{
    /// <summary>The word for <paramref name="s"/>.</summary>
    public static string Of(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}
