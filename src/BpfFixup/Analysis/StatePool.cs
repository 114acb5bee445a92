// SPDX-License-Identifier: MIT
using System.Buffers;

namespace BpfFixup.Analysis;

/// <summary>
/// Abstract states handed back when a program's analysis ends and lent again to the next one. A state per block
/// lives through a whole program's fixpoint, long enough to reach the GC's older generations; allocated afresh
/// per program, those piled up as garbage to several times the object's size (issues 8 and 11: peak memory).
/// </summary>
internal sealed class StatePool
{
    private readonly Stack<AbstractState> free = new();

    /// <summary>
    /// True (the default) when the reporting pass may replay what the fixpoint logged (<see cref="ReportLog"/>);
    /// false runs every block again, as the pass did before the log: the tests compare the two.
    /// </summary>
    public bool ReplayReports { get; init; } = true;

    private readonly Stack<List<ReportLogEntry>> freeLogs = new();

    /// <summary>A bottom state.</summary>
    public AbstractState Rent()
    {
        if (free.TryPop(out var s))
        {
            s.Reset();
            return s;
        }

        return AbstractState.Bottom();
    }

    /// <summary>An empty list for a <see cref="ReportLog"/>'s entries (lent and given back as the states are).</summary>
    public List<ReportLogEntry> RentLog() => freeLogs.TryPop(out var l) ? l : [];

    /// <summary>Gives <paramref name="log"/> back, emptied; it may not be used after this.</summary>
    public void ReturnLog(List<ReportLogEntry> log)
    {
        log.Clear();
        freeLogs.Push(log);
    }

    /// <summary>Gives <paramref name="state"/> back; it may not be used after this.</summary>
    public void Return(AbstractState state) => free.Push(state);

    /// <summary>
    /// <paramref name="count"/> bottom states in an array lent by <see cref="ArrayPool{T}.Shared"/> (it may be longer; a
    /// context's array lives through its program's analysis, and one made per context was 4 MB at 1.6M slots).
    /// </summary>
    public AbstractState[] RentStates(int count)
    {
        var states = ArrayPool<AbstractState>.Shared.Rent(count);
        for (int b = 0; b < count; b++)
        {
            states[b] = Rent();
        }

        return states;
    }

    /// <summary>Gives the first <paramref name="count"/> of <paramref name="states"/> (<see cref="RentStates"/>) back, and the array; none may be used after this.</summary>
    public void ReturnStates(AbstractState[] states, int count)
    {
        for (int b = 0; b < count; b++)
        {
            free.Push(states[b]);
        }

        ArrayPool<AbstractState>.Shared.Return(states, clearArray: true);
    }
}
