// SPDX-License-Identifier: MIT
namespace BpfFixup.Analysis;

/// <summary>
/// Registers r0-r10 and the 8-byte stack spill slots of one frame (the verifier's <c>bpf_func_state</c>, in
/// spirit). Slots not spilled with an 8-byte register store read back as scalars.
/// </summary>
public sealed class AbstractState
{
    /// <summary>Number of registers, r0 to r10.</summary>
    public const int RegisterCount = 11;

    private readonly RegValue[] regs = new RegValue[RegisterCount];
    private readonly SortedList<int, RegValue> spills = [];

    /// <summary>A bottom state (no path reaches it yet).</summary>
    public static AbstractState Bottom() => new();

    /// <summary>Makes this state bottom again, keeping its storage (states are reused, see <see cref="StatePool"/>).</summary>
    public void Reset()
    {
        Array.Clear(regs);
        spills.Clear();
        Dead = false;
    }

    /// <summary>The state at a function's entry: <paramref name="args"/> in r1-r5, r10 the frame pointer, the rest NOT_INIT.</summary>
    public static AbstractState Entry(ReadOnlySpan<RegValue> args)
    {
        var s = new AbstractState();
        s.SetEntry(args);
        return s;
    }

    /// <summary>Makes this state <see cref="Entry"/> of <paramref name="args"/>, in place.</summary>
    public void SetEntry(ReadOnlySpan<RegValue> args)
    {
        Reset();
        for (int r = 0; r < RegisterCount; r++)
        {
            regs[r] = RegValue.NotInit;
        }

        for (int r = 1; r <= 5 && r - 1 < args.Length; r++)
        {
            regs[r] = args[r - 1];
        }

        regs[10] = RegValue.Stack(0);
    }

    /// <summary>
    /// True when every path reaching this state takes a branch the kernel proves is never taken (both operands
    /// known, <c>is_branch_taken</c>): the kernel never verifies it, so nothing found here is reported.
    /// </summary>
    public bool Dead { get; set; }

    /// <summary>True when no path has reached this state.</summary>
    public bool IsBottom => regs[10].Types == RegTypes.None;

    /// <summary>Register <paramref name="r"/>.</summary>
    public RegValue this[int r]
    {
        get => regs[r];
        set => regs[r] = value;
    }

    /// <summary>Spilled value at stack offset <paramref name="offset"/>, or a scalar.</summary>
    public RegValue Fill(int offset) => spills.TryGetValue(offset, out var v) ? v : RegValue.Scalar;

    /// <summary>Records an 8-byte register spill.</summary>
    public void Spill(int offset, RegValue value) => spills[offset] = value;

    /// <summary>Forgets spills overlapping <c>[offset, offset+size)</c> (a narrower or unknown store).</summary>
    public void Clobber(int offset, int size)
    {
        for (int i = spills.Count - 1; i >= 0; i--)
        {
            int k = spills.Keys[i];
            if (k < offset + size && offset < k + 8)
            {
                spills.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Gives every register and spill holding the scalar of <paramref name="origin"/> (copies of one value, the
    /// kernel's linked registers) the scalar knowledge of <paramref name="value"/>, keeping their other types.
    /// </summary>
    public void ReplaceLinked(int origin, RegValue value)
    {
        for (int r = 0; r < RegisterCount; r++)
        {
            if (regs[r].Origin == origin)
            {
                regs[r] = regs[r] with { Known = value.Known, Min = value.Min, Max = value.Max, Origin = value.Origin };
            }
        }

        for (int i = 0; i < spills.Count; i++)
        {
            var v = spills.Values[i];
            if (v.Origin == origin)
            {
                spills[spills.Keys[i]] = v with { Known = value.Known, Min = value.Min, Max = value.Max, Origin = value.Origin };
            }
        }
    }

    /// <summary>Forgets all spills (a store through a stack pointer of unknown offset).</summary>
    public void ClobberAll() => spills.Clear();

    /// <summary>Makes this state a copy of <paramref name="other"/> (reusing this instance's storage).</summary>
    public void CopyFrom(AbstractState other)
    {
        other.regs.CopyTo(regs, 0);
        Dead = other.Dead;
        CopySpills(other);
    }

    /// <summary>A copy.</summary>
    public AbstractState Clone()
    {
        var s = new AbstractState();
        s.CopyFrom(this);
        return s;
    }

    /// <summary>Makes the spills a copy of <paramref name="other"/>'s; indexed, as SortedList's enumerator is an object per loop.</summary>
    private void CopySpills(AbstractState other)
    {
        spills.Clear();
        var keys = other.spills.Keys;
        var values = other.spills.Values;
        for (int i = 0; i < keys.Count; i++)
        {
            // Keys come in ascending order: each Add appends.
            spills.Add(keys[i], values[i]);
        }
    }

    /// <summary>Joins <paramref name="other"/> into this state; true when this state changed.</summary>
    public bool JoinWith(AbstractState other)
    {
        if (other.IsBottom)
        {
            return false;
        }

        if (IsBottom)
        {
            CopyFrom(other);
            return true;
        }

        bool changed = false;
        if (Dead && !other.Dead)
        {
            Dead = false;
            changed = true;
        }

        for (int r = 0; r < RegisterCount; r++)
        {
            var j = RegValue.Widen(regs[r], RegValue.Join(regs[r], other.regs[r]));
            if (j != regs[r])
            {
                regs[r] = j;
                changed = true;
            }
        }

        // A slot spilled on only one path reads back as a scalar on the other: join with scalar.
        for (int i = spills.Count - 1; i >= 0; i--)
        {
            int k = spills.Keys[i];
            var mine = spills.Values[i];
            var theirs = other.spills.TryGetValue(k, out var t) ? t : RegValue.Scalar;
            var j = RegValue.Widen(mine, RegValue.Join(mine, theirs));
            if (j != mine)
            {
                spills[k] = j;
                changed = true;
            }
        }

        var otherKeys = other.spills.Keys;
        var otherValues = other.spills.Values;
        for (int i = 0; i < otherKeys.Count; i++)
        {
            int k = otherKeys[i];
            var v = otherValues[i];
            if (!spills.ContainsKey(k))
            {
                var j = RegValue.Join(RegValue.Scalar, v);
                if (j != RegValue.Scalar)
                {
                    spills[k] = j;
                    changed = true;
                }
            }
        }

        return changed;
    }
}
