// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;

namespace BpfFixup.Analysis;

/// <summary>The reporting pass's effects: done at once, or logged by a fixpoint transfer and replayed (<see cref="ReportLog"/>).</summary>
public sealed partial class TypeAnalyzer
{
    private void Emit(Context ctx, int insn, string id, Severity severity, string message)
    {
        if (ctx.Log.Recording)
        {
            ctx.Log.Add(new ReportLogEntry(ReportLogKind.Diagnostic, insn, default, id, severity, message));
        }
        else
        {
            ReportDiagnostic(ctx, insn, id, severity, message);
        }
    }

    private void Emit(Context ctx, CtxLoad load)
    {
        if (ctx.Log.Recording)
        {
            ctx.Log.Add(new ReportLogEntry(ReportLogKind.CtxLoad, load.Insn, default, null, default, load));
        }
        else
        {
            ReportCtxLoad(load);
        }
    }

    private void EmitSite(Context ctx, int insn, RegValue r1)
    {
        if (ctx.Log.Recording)
        {
            ctx.Log.Add(new ReportLogEntry(ReportLogKind.Site, insn, r1, null, default, null));
        }
        else
        {
            ObserveSite(ctx, insn, r1);
        }
    }

    /// <summary>Logs R0 at an exit while recording (the step has joined it into the return value already, as the fixpoint does).</summary>
    private static void EmitReturn(Context ctx, RegValue r0)
    {
        if (ctx.Log.Recording)
        {
            ctx.Log.Add(new ReportLogEntry(ReportLogKind.Return, 0, r0, null, default, null));
        }
    }

    /// <summary>A diagnostic of the reporting pass (captured when <paramref name="ctx"/> may be shared).</summary>
    private void ReportDiagnostic(Context ctx, int insn, string id, Severity severity, string message)
    {
        capture?.Add(new ReportLogEntry(ReportLogKind.Diagnostic, insn, default, id, severity, message));
        AddOnce(ctx.Function, insn, id, severity, message);
    }

    /// <summary>A load through ctx the reporting pass found (captured, as a diagnostic is).</summary>
    private void ReportCtxLoad(CtxLoad load)
    {
        capture?.Add(new ReportLogEntry(ReportLogKind.CtxLoad, load.Insn, default, null, default, load));
        ctxLoads.Add(load);
    }

    private void ObserveSite(Context ctx, int insn, RegValue r1)
    {
        capture?.Add(new ReportLogEntry(ReportLogKind.Site, insn, r1, null, default, null));
        ctx.SiteRange ??= sites.RangeOf(ctx.Function.Section);
        sites.Observe(ctx.SiteRange.Value, insn, r1);
    }

    /// <summary>Does what entries [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="ctx"/>'s log recorded, in order.</summary>
    private void Replay(Context ctx, int start, int end)
    {
        var log = ctx.Log;
        for (int k = start; k < end; k++)
        {
            Apply(ctx, log[k]);
        }
    }

    /// <summary>Does what <paramref name="e"/> recorded, for <paramref name="ctx"/>: from its log, or from its record when adopted.</summary>
    private void Apply(Context ctx, in ReportLogEntry e)
    {
        switch (e.Kind)
        {
            case ReportLogKind.Diagnostic:
                ReportDiagnostic(ctx, e.Insn, e.Id!, e.Severity, (string)e.Item!);
                break;
            case ReportLogKind.CtxLoad:
                ReportCtxLoad((CtxLoad)e.Item!);
                break;
            case ReportLogKind.Site:
                ObserveSite(ctx, e.Insn, e.Value);
                break;
            case ReportLogKind.Return:
                ctx.Return = RegValue.Join(ctx.Return, e.Value);
                break;
        }
    }
}
