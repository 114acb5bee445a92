// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Model;

namespace BpfFixup.Rewrite;

/// <summary>The whole offline fixup on one object: load, verify, rewrite, and reload the result.</summary>
public static class FixupPipeline
{
    /// <summary>Outcome of <see cref="Run"/>.</summary>
    /// <param name="Original">The loaded input, or null when it is malformed.</param>
    /// <param name="Rewrite">The rewrite, or null when the input is malformed.</param>
    /// <param name="Patched">The rewritten object loaded again, or null when nothing was written.</param>
    /// <param name="LoadError">The one error that stopped loading, if any.</param>
    public sealed record Outcome(BpfObject? Original, RewriteResult? Rewrite, BpfObject? Patched, Diagnostic? LoadError);

    /// <summary>Runs the fixup on <paramref name="data"/>.</summary>
    public static Outcome Run(byte[] data, string fileName, RewriteOptions options)
    {
        var bag = new DiagnosticBag();
        if (!ObjectLoader.TryLoad(data, fileName, bag, out var obj) || obj is null)
        {
            return new Outcome(null, null, null, bag.Items.Count > 0 ? bag.Items[0] : null);
        }

        return Run(obj, options);
    }

    /// <summary>Runs the fixup on a loaded object.</summary>
    public static Outcome Run(BpfObject obj, RewriteOptions options)
    {
        var result = ObjectRewriter.Rewrite(ObjectAnalyzer.Analyze(obj), options);
        BpfObject? patched = null;
        if (result.Output is { } bytes)
        {
            var again = new DiagnosticBag();
            if (!ObjectLoader.TryLoad(bytes, obj.FileName, again, out patched))
            {
                // The writer produced something its own reader rejects: a bug, reported as an error.
                return new Outcome(obj, result with
                {
                    Output = null,
                    Diagnostics = [.. result.Diagnostics, .. again.Items.Select(d => d with { Message = "internal error: patched output does not load: " + d.Message })],
                }, null, null);
            }
        }

        return new Outcome(obj, result, patched, null);
    }
}
