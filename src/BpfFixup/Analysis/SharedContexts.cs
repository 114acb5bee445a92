// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>
/// The call contexts (<see cref="ContextRecord"/>) the programs of one object analysed so far, by function and entry
/// arguments: a program that calls a subprogram with arguments another program already passed takes the record
/// instead of running the fixpoint again, so an object of many programs calling the same subprograms costs about one
/// analysis of each. Only functions a program still to be analysed reaches are kept (<see cref="Keeps"/>).
/// </summary>
internal sealed class SharedContexts(Func<BpfFunction, bool> keeps)
{
    private readonly Dictionary<ContextKey, ContextRecord> records = [];
    private readonly Dictionary<BpfFunction, List<ContextKey>> keysOf = [];

    /// <summary>True when a program still to be analysed reaches <paramref name="function"/>: its contexts are worth keeping.</summary>
    public bool Keeps(BpfFunction function) => keeps(function);

    /// <summary>The number of records held.</summary>
    public int Count => records.Count;

    /// <summary>The record of the function entered with the arguments of <paramref name="key"/>, or null.</summary>
    public ContextRecord? Find(in ContextKey key) => records.GetValueOrDefault(key);

    /// <summary>Keeps <paramref name="record"/> under its key, unless one is there already (both then say the same).</summary>
    public void Add(ContextRecord record)
    {
        var key = record.Key;
        if (records.TryAdd(key, record))
        {
            if (!keysOf.TryGetValue(record.Function, out var keys))
            {
                keys = [];
                keysOf[record.Function] = keys;
            }

            keys.Add(key);
        }
    }

    /// <summary>Drops the records of <paramref name="function"/> (no program still to be analysed reaches it).</summary>
    public void Forget(BpfFunction function)
    {
        if (keysOf.Remove(function, out var keys))
        {
            foreach (var key in keys)
            {
                records.Remove(key);
            }
        }
    }
}
