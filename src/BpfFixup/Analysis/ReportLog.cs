// SPDX-License-Identifier: MIT
using System.Buffers;
using BpfFixup.Diagnostics;

namespace BpfFixup.Analysis;

/// <summary>
/// What one call context's fixpoint transfers would have the reporting pass do (diagnostics, ctx loads, R1 at call
/// sites, joins into the return value), in order, and which run of it each block's last transfer wrote. Once the
/// fixpoint has converged, every reached block's last transfer ran from its final entry state, which is what the
/// reporting pass runs it from: replaying that run gives the same effects in the same order without running the
/// block a second time. A transfer whose calls the pass would see differently is not kept (the pass runs that block).
/// </summary>
internal sealed class ReportLog
{
    private readonly StatePool pool;
    private readonly int blocks;
    private List<ReportLogEntry>? entries; // lent by the pool when the first transfer is recorded
    private int[]? runStart, runEnd;
    private int transferStart;
    private bool discarded;

    /// <summary>A log for a graph of <paramref name="blocks"/> blocks, its storage lent by <paramref name="pool"/>.</summary>
    public ReportLog(int blocks, StatePool pool)
    {
        this.blocks = blocks;
        this.pool = pool;
        discarded = !pool.ReplayReports;
    }

    /// <summary>True while a fixpoint transfer of this context writes into the log.</summary>
    public bool Recording { get; private set; }

    /// <summary>Cleared when the transfer being recorded made a call the reporting pass would see differently.</summary>
    public bool TransferIsClean { get; set; }

    /// <summary>Starts recording a transfer; false (nothing recorded) once the log has been given up.</summary>
    public bool BeginTransfer()
    {
        if (discarded)
        {
            return false;
        }

        if (entries is null)
        {
            entries = pool.RentLog();
            runStart = ArrayPool<int>.Shared.Rent(blocks);
            runEnd = ArrayPool<int>.Shared.Rent(blocks);
            Array.Fill(runStart, -1, 0, blocks);
        }

        Recording = true;
        TransferIsClean = true;
        transferStart = entries.Count;
        return true;
    }

    /// <summary>Ends the transfer of <paramref name="block"/>: its run now (or, when not clean, none). A function of <paramref name="insns"/> instructions keeps at most a few entries per instruction.</summary>
    public void EndTransfer(int block, int insns)
    {
        Recording = false;
        if (TransferIsClean)
        {
            runStart![block] = transferStart;
            runEnd![block] = entries!.Count;
        }
        else
        {
            runStart![block] = -1;
            entries!.RemoveRange(transferStart, entries.Count - transferStart);
        }

        if (entries.Count > 64 + (8L * insns))
        {
            Discard(); // many transfers of the same blocks: bounded memory, the reporting pass runs them instead
        }
    }

    /// <summary>Appends an entry to the transfer being recorded.</summary>
    public void Add(in ReportLogEntry entry) => entries!.Add(entry);

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public ReportLogEntry this[int index] => entries![index];

    /// <summary>The run of <paramref name="block"/>'s last transfer, [Start, End), or null when the pass must run it.</summary>
    public (int Start, int End)? RunOf(int block) =>
        !discarded && runStart is not null && runStart[block] >= 0 ? (runStart[block], runEnd![block]) : null;

    /// <summary>Gives the log up (every block is run by the reporting pass) and its storage back.</summary>
    public void Discard()
    {
        discarded = true;
        Recording = false;
        if (entries is not null)
        {
            pool.ReturnLog(entries);
            ArrayPool<int>.Shared.Return(runStart!);
            ArrayPool<int>.Shared.Return(runEnd!);
            entries = null;
            runStart = runEnd = null;
        }
    }
}

/// <summary>The kind of a <see cref="ReportLogEntry"/>.</summary>
internal enum ReportLogKind : byte
{
    /// <summary>A diagnostic (<see cref="ReportLogEntry.Item"/> is the message).</summary>
    Diagnostic,
    /// <summary>A load through ctx (<see cref="ReportLogEntry.Item"/> is the <see cref="CtxLoad"/>).</summary>
    CtxLoad,
    /// <summary>R1 at a session call site (<see cref="ReportLogEntry.Value"/>).</summary>
    Site,
    /// <summary>R0 at an exit, joined into the return value (<see cref="ReportLogEntry.Value"/>).</summary>
    Return,
}

/// <summary>One effect of the reporting pass, as a fixpoint transfer found it.</summary>
internal readonly record struct ReportLogEntry(ReportLogKind Kind, int Insn, RegValue Value, string? Id, Severity Severity, object? Item);
