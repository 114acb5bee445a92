// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Snapshots;

/// <summary>
/// Compares a batch of snapshot entries with the verified files of one directory and acts per mode
/// (<see cref="SnapshotMode"/>, after <see cref="SnapshotModeResolver"/>):
/// <list type="table">
/// <item><term>equal</term><description>Matched; a stale received file is deleted.</description></item>
/// <item><term>differs</term><description>Default/Check: received file written, diff produced, Mismatched.
/// Accept: verified overwritten, Accepted.</description></item>
/// <item><term>missing</term><description>Default: verified written, Created. Check: received written, Missing.
/// Accept: verified written, Accepted.</description></item>
/// <item><term>dangling</term><description>Reported; a failure in Check mode; deleted (with any received
/// file) in Accept mode. See <see cref="SnapshotRunOptions.ObjectStems"/> for which files are considered.</description></item>
/// </list>
/// Entries with unsafe names or colliding file names are errors and are not written. No exception
/// escapes for I/O problems: they become errors in the result (exit code 2).
/// </summary>
public static class SnapshotRunner
{
    /// <summary>Runs the batch.</summary>
    /// <param name="directory">The snapshot directory; created when missing.</param>
    /// <param name="entries">The snapshots this run produced.</param>
    /// <param name="options">Mode, environment, dangling scope; null for defaults.</param>
    /// <returns>The structured result.</returns>
    public static SnapshotRunResult Run(string directory, IEnumerable<SnapshotEntry> entries, SnapshotRunOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(entries);
        options ??= new SnapshotRunOptions();
        var decision = SnapshotModeResolver.Resolve(options.Mode, options.Environment);
        var mode = decision.Mode;
        var store = new SnapshotStore(directory, options.DisplayDirectory);
        var list = entries.ToList();
        list.Sort((x, y) => string.CompareOrdinal(x.FileName, y.FileName) is var c && c != 0 ? c : string.CompareOrdinal(x.Key, y.Key));

        var errors = new List<string>();
        var collisions = SnapshotNaming.FindCollisions(list.Select(e => (e.Key, e.FileName)));
        var colliding = new HashSet<string>(collisions.Select(c => c.FileName), StringComparer.OrdinalIgnoreCase);
        var directoryError = store.EnsureDirectory();
        if (directoryError is not null)
        {
            errors.Add(directoryError);
        }

        if (directoryError is null && Refusal(store, list, colliding, mode, options) is { } refused)
        {
            // Checked before the first write: nothing is written at all.
            errors.Add(refused);
            directoryError = refused;
        }

        var results = new List<SnapshotEntryResult>(list.Count);
        foreach (var entry in list)
        {
            if (!SnapshotNaming.IsSafeFileName(entry.FileName) || !entry.FileName.EndsWith(SnapshotNaming.VerifiedSuffix, StringComparison.Ordinal))
            {
                results.Add(Error(entry, "not a plain file name ending in " + SnapshotNaming.VerifiedSuffix));
            }
            else if (colliding.Contains(entry.FileName))
            {
                results.Add(Error(entry, "file name collision; nothing written"));
            }
            else if (directoryError is not null)
            {
                results.Add(Error(entry, "not written"));
            }
            else
            {
                results.Add(RunEntry(store, entry, mode, options.ContextLines));
            }
        }

        var dangling = directoryError is null ? FindDangling(store, list, options, errors) : [];
        if (mode == SnapshotMode.Accept)
        {
            foreach (var name in dangling)
            {
                AddIfError(errors, store.TryDelete(name));
                AddIfError(errors, store.TryDelete(SnapshotNaming.ReceivedFileName(name)));
            }
        }

        return new SnapshotRunResult
        {
            Mode = mode,
            Entries = results,
            Dangling = dangling,
            Collisions = collisions,
            Errors = errors,
            Notes = decision.Notes,
        };
    }

    private static SnapshotEntryResult RunEntry(SnapshotStore store, SnapshotEntry entry, SnapshotMode mode, int context)
    {
        var received = SnapshotNaming.ReceivedFileName(entry.FileName);
        var readError = store.TryReadBytes(entry.FileName, out var bytes);
        if (readError is not null)
        {
            return Error(entry, readError);
        }

        if (entry.Listing is { } listing && bytes is { } file && listing.Matches(file) && OwnedBy(entry, SnapshotText.Decode(FirstLine(file))))
        {
            // The file is the listing's bytes (so its text is the listing's): compared without decoding or building either.
            return Done(entry, SnapshotOutcome.Matched, store.TryDelete(received));
        }

        // Read once: decoded here only when the quick comparison did not decide (SnapshotStore.TryRead's text).
        string? verified = bytes is { } read ? SnapshotText.Decode(read) : null;

        // Another object's file of the same name (d1/x.o and d2/x.o, program p): never overwritten.
        if (verified is not null && !OwnedBy(entry, verified))
        {
            return Error(entry, $"belongs to {SnapshotOwner.Read(verified)}, not {entry.Owner}; not overwritten (use another --dir)");
        }

        // The normalised text, compared as a span of the entry's own text when normalising would only drop the final
        // newlines (no BOM, no CR: what the renderer writes), and made a string only when something is written or diffed.
        string content = entry.Content;
        bool plain = (content.Length == 0 || content[0] != '\uFEFF') && !content.AsSpan().Contains('\r');
        string? normalized = plain ? null : SnapshotText.Normalize(content);
        var expected = normalized is null ? content.AsSpan().TrimEnd('\n') : normalized.AsSpan();
        if (verified is not null && verified.AsSpan().SequenceEqual(expected))
        {
            return Done(entry, SnapshotOutcome.Matched, store.TryDelete(received));
        }

        string actual = normalized ?? SnapshotText.Normalize(content);
        if (mode == SnapshotMode.Accept || (mode == SnapshotMode.Default && verified is null))
        {
            var writeError = store.TryWrite(entry.FileName, actual) ?? store.TryDelete(received);
            return Done(entry, mode == SnapshotMode.Accept ? SnapshotOutcome.Accepted : SnapshotOutcome.Created, writeError);
        }

        var diff = UnifiedDiff.Render(verified ?? string.Empty, actual, "a/" + entry.FileName, "b/" + entry.FileName, context);
        var error = store.TryWrite(received, actual);
        if (error is not null)
        {
            return Error(entry, error) with { Diff = diff };
        }

        return new SnapshotEntryResult(entry.Key, entry.FileName, verified is null ? SnapshotOutcome.Missing : SnapshotOutcome.Mismatched)
        {
            Diff = diff,
            ReceivedFileName = received,
        };
    }

    /// <summary>The bytes of the first line of <paramref name="bytes"/> (all of them when there is no LF): where the owner is recorded.</summary>
    private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)'\n');
        return bytes[..(end < 0 ? bytes.Length : end)];
    }

    /// <summary>Whether <paramref name="verified"/> is not another object's file of the same name (d1/x.o and d2/x.o, program p).</summary>
    private static bool OwnedBy(SnapshotEntry entry, string verified) =>
        entry.Owner is not { } owner || SnapshotOwner.Read(verified) is not { } recorded || SnapshotOwner.Owns(owner, recorded);

    private static List<string> FindDangling(SnapshotStore store, List<SnapshotEntry> entries, SnapshotRunOptions options, List<string> errors)
    {
        var stems = new HashSet<string>(StringComparer.Ordinal);
        if (options.ObjectStems is { } given)
        {
            stems.UnionWith(given);
        }
        else
        {
            foreach (var entry in entries)
            {
                if (SnapshotNaming.TryParseVerified(entry.FileName, out var stem, out _))
                {
                    stems.Add(stem);
                }
            }
        }

        var dangling = new List<string>();
        if (stems.Count == 0)
        {
            return dangling;
        }

        var owners = options.Owners ?? [.. entries.Select(e => e.Owner).OfType<string>().Distinct(StringComparer.Ordinal)];
        var listError = store.TryListVerified(out var names);
        AddIfError(errors, listError);
        var produced = new HashSet<string>(entries.Select(e => e.FileName), StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!produced.Contains(name) && SnapshotNaming.TryParseVerified(name, out var stem, out _) && stems.Contains(stem) && OwnedByRun(store, name, owners, errors))
            {
                dangling.Add(name);
            }
        }

        return dangling;
    }

    /// <summary>Whether verified file <paramref name="name"/> belongs to one of <paramref name="owners"/> (any file, when there are none).</summary>
    private static bool OwnedByRun(SnapshotStore store, string name, IReadOnlyCollection<string> owners, List<string> errors)
    {
        if (owners.Count == 0)
        {
            return true;
        }

        if (store.TryRead(name, out var text) is { } readError)
        {
            errors.Add(store.DisplayPath(name) + ": " + readError);
            return false;
        }

        var recorded = text is null ? null : SnapshotOwner.Read(text);
        return owners.Any(o => SnapshotOwner.Owns(o, recorded));
    }

    /// <summary>
    /// The first reason not to write this run's files (an input among them, a FIFO in the way), or null. A check
    /// writes received files only: its verified files are read, and one that is not a regular file is that entry's
    /// read error (<see cref="SnapshotStore.TryRead"/>), not a refusal to write what is never written.
    /// </summary>
    private static string? Refusal(SnapshotStore store, List<SnapshotEntry> entries, HashSet<string> colliding, SnapshotMode mode, SnapshotRunOptions options)
    {
        if (options.Inputs is null)
        {
            return null;
        }

        var plan = new IO.OutputPlan();
        foreach (var input in options.Inputs)
        {
            plan.AddInput(input);
        }

        foreach (var entry in entries)
        {
            if (SnapshotNaming.IsSafeFileName(entry.FileName) && !colliding.Contains(entry.FileName))
            {
                if (mode != SnapshotMode.Check)
                {
                    plan.AddOutput(Path.Combine(store.Directory, entry.FileName), "a snapshot");
                }

                plan.AddOutput(Path.Combine(store.Directory, SnapshotNaming.ReceivedFileName(entry.FileName)), "a snapshot");
            }
        }

        return plan.Check() is { } d ? $"{d.File}: {d.Message}" : null;
    }

    private static SnapshotEntryResult Done(SnapshotEntry entry, SnapshotOutcome outcome, string? error)
        => error is null ? new SnapshotEntryResult(entry.Key, entry.FileName, outcome) : Error(entry, error);

    private static SnapshotEntryResult Error(SnapshotEntry entry, string message)
        => new(entry.Key, entry.FileName, SnapshotOutcome.Error) { Error = message };

    private static void AddIfError(List<string> errors, string? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
