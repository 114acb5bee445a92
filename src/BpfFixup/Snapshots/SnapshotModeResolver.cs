// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>
/// Applies the environment to a requested mode:
/// <list type="bullet">
/// <item><c>BPFFIXUP_ACCEPT=1</c> (or <c>true</c>) turns the run into <see cref="SnapshotMode.Accept"/>,
/// except on CI, where it is ignored with a note;</item>
/// <item><c>BPFFIXUP_ACCEPT=force</c> accepts even on CI;</item>
/// <item>on CI, <see cref="SnapshotMode.Default"/> becomes <see cref="SnapshotMode.Check"/>, so CI never
/// creates a snapshot and passes (Verify fails on a missing snapshot too);</item>
/// <item>an explicitly requested <see cref="SnapshotMode.Accept"/> (e.g. a <c>--accept</c> option) is honoured
/// everywhere: that is the user's stated intent, not an ambient variable.</item>
/// </list>
/// CI counts as set when <c>CI</c> is non-empty and not <c>false</c> or <c>0</c> (case-insensitive).
/// Unrecognised <c>BPFFIXUP_ACCEPT</c> values are ignored with a note.
/// </summary>
public static class SnapshotModeResolver
{
    /// <summary>The accept variable.</summary>
    public const string AcceptVariable = "BPFFIXUP_ACCEPT";

    /// <summary>The CI variable.</summary>
    public const string CiVariable = "CI";

    /// <summary>Resolves the effective mode.</summary>
    /// <param name="requested">The mode the caller asked for.</param>
    /// <param name="environment">Looks up an environment variable (null when unset); null means an empty environment.</param>
    /// <returns>The decision.</returns>
    public static SnapshotModeDecision Resolve(SnapshotMode requested, Func<string, string?>? environment)
    {
        var accept = environment?.Invoke(AcceptVariable)?.Trim() ?? string.Empty;
        var onCi = IsCi(environment?.Invoke(CiVariable));
        var notes = new List<string>();
        var mode = requested;
        if (accept.Equals("force", StringComparison.OrdinalIgnoreCase))
        {
            mode = SnapshotMode.Accept;
            notes.Add(AcceptVariable + "=force: accepting snapshots" + (onCi ? " on CI" : string.Empty) + ".");
        }
        else if (accept is "1" || accept.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            if (onCi)
            {
                notes.Add(AcceptVariable + " is ignored because CI is set; use " + AcceptVariable + "=force to accept on CI.");
            }
            else
            {
                mode = SnapshotMode.Accept;
            }
        }
        else if (accept.Length > 0 && accept is not "0" && !accept.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            notes.Add(AcceptVariable + "='" + accept + "' is not 1, true or force; ignored.");
        }

        if (onCi && mode == SnapshotMode.Default)
        {
            mode = SnapshotMode.Check;
            notes.Add("CI is set: missing snapshots fail instead of being created.");
        }

        return new SnapshotModeDecision(mode, onCi, notes);
    }

    /// <summary>Whether a <c>CI</c> value means "on CI": non-empty and not <c>false</c>/<c>0</c>.</summary>
    public static bool IsCi(string? value)
    {
        var v = value?.Trim();
        return !string.IsNullOrEmpty(v) && v is not "0" && !v.Equals("false", StringComparison.OrdinalIgnoreCase);
    }
}
