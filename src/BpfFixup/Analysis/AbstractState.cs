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

    // The spills, sorted by stack offset: two arrays and a count, grown when needed and kept when the state is reused
    // (a SortedList's views cost an interface call per element; most states hold none or a few).
    private int[] spillOffsets = [];
    private RegValue[] spillValues = [];
    private int spillCount;

    /// <summary>A bottom state (no path reaches it yet).</summary>
    public static AbstractState Bottom() => new();

    /// <summary>Makes this state bottom again, keeping its storage (states are reused, see <see cref="StatePool"/>).</summary>
    public void Reset()
    {
        regs.AsSpan().Clear();
        spillCount = 0;
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
    public RegValue Fill(int offset)
    {
        int at = Find(offset);
        return at >= 0 ? spillValues[at] : RegValue.Scalar;
    }

    /// <summary>Records an 8-byte register spill.</summary>
    public void Spill(int offset, RegValue value)
    {
        int at = Find(offset);
        if (at >= 0)
        {
            spillValues[at] = value;
        }
        else
        {
            Insert(~at, offset, value);
        }
    }

    /// <summary>Forgets spills overlapping <c>[offset, offset+size)</c> (a narrower or unknown store).</summary>
    public void Clobber(int offset, int size)
    {
        for (int i = spillCount - 1; i >= 0; i--)
        {
            int k = spillOffsets[i];
            if (k < offset + size && offset < k + 8)
            {
                RemoveAt(i);
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

        for (int i = 0; i < spillCount; i++)
        {
            var v = spillValues[i];
            if (v.Origin == origin)
            {
                spillValues[i] = v with { Known = value.Known, Min = value.Min, Max = value.Max, Origin = value.Origin };
            }
        }
    }

    /// <summary>Forgets all spills (a store through a stack pointer of unknown offset).</summary>
    public void ClobberAll() => spillCount = 0;

    /// <summary>Makes this state a copy of <paramref name="other"/> (reusing this instance's storage).</summary>
    public void CopyFrom(AbstractState other)
    {
        other.regs.AsSpan().CopyTo(regs); // spans: a plain memmove, not Array.Copy's type checks
        Dead = other.Dead;
        int n = other.spillCount;
        if (n > 0)
        {
            if (spillOffsets.Length < n)
            {
                spillOffsets = new int[other.spillOffsets.Length];
                spillValues = new RegValue[other.spillValues.Length];
            }

            other.spillOffsets.AsSpan(0, n).CopyTo(spillOffsets);
            other.spillValues.AsSpan(0, n).CopyTo(spillValues);
        }

        spillCount = n;
    }

    /// <summary>A copy.</summary>
    public AbstractState Clone()
    {
        var s = new AbstractState();
        s.CopyFrom(this);
        return s;
    }

    /// <summary>The position of the spill at <paramref name="offset"/>, or the complement of where it would go.</summary>
    private int Find(int offset)
    {
        int lo = 0, hi = spillCount - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int k = spillOffsets[mid];
            if (k == offset)
            {
                return mid;
            }

            if (k < offset) { lo = mid + 1; } else { hi = mid - 1; }
        }

        return ~lo;
    }

    private void Insert(int at, int offset, RegValue value)
    {
        if (spillCount == spillOffsets.Length)
        {
            int size = Math.Max(4, spillCount * 2);
            Array.Resize(ref spillOffsets, size);
            Array.Resize(ref spillValues, size);
        }

        spillOffsets.AsSpan(at, spillCount - at).CopyTo(spillOffsets.AsSpan(at + 1));
        spillValues.AsSpan(at, spillCount - at).CopyTo(spillValues.AsSpan(at + 1));
        spillOffsets[at] = offset;
        spillValues[at] = value;
        spillCount++;
    }

    private void RemoveAt(int at)
    {
        spillCount--;
        spillOffsets.AsSpan(at + 1, spillCount - at).CopyTo(spillOffsets.AsSpan(at));
        spillValues.AsSpan(at + 1, spillCount - at).CopyTo(spillValues.AsSpan(at));
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
            ref var mine = ref regs[r];
            ref var theirs = ref other.regs[r];
            if (mine.Equals(theirs))
            {
                continue; // Join(a, a) is a, and a widens to itself
            }

            var j = RegValue.Widen(mine, RegValue.Join(mine, theirs));
            if (!j.Equals(mine))
            {
                mine = j;
                changed = true;
            }
        }

        if (spillCount == other.spillCount && spillOffsets.AsSpan(0, spillCount).SequenceEqual(other.spillOffsets.AsSpan(0, spillCount)))
        {
            // The same slots spilled on both paths (the usual case): a join per slot, none to add.
            for (int i = 0; i < spillCount; i++)
            {
                ref var mine = ref spillValues[i];
                ref var theirs = ref other.spillValues[i];
                if (!mine.Equals(theirs))
                {
                    var j = RegValue.Widen(mine, RegValue.Join(mine, theirs));
                    if (!j.Equals(mine))
                    {
                        mine = j;
                        changed = true;
                    }
                }
            }

            return changed;
        }

        // A slot spilled on only one path reads back as a scalar on the other: join with scalar.
        for (int i = spillCount - 1; i >= 0; i--)
        {
            var mine = spillValues[i];
            int t = other.Find(spillOffsets[i]);
            var theirs = t >= 0 ? other.spillValues[t] : RegValue.Scalar;
            var j = RegValue.Widen(mine, RegValue.Join(mine, theirs));
            if (!j.Equals(mine))
            {
                spillValues[i] = j;
                changed = true;
            }
        }

        for (int i = 0; i < other.spillCount; i++)
        {
            int k = other.spillOffsets[i];
            int at = Find(k);
            if (at < 0)
            {
                var j = RegValue.Join(RegValue.Scalar, other.spillValues[i]);
                if (!j.Equals(RegValue.Scalar))
                {
                    Insert(~at, k, j);
                    changed = true;
                }
            }
        }

        return changed;
    }
}
