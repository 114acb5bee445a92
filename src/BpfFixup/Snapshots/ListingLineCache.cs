// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Diff;
using BpfFixup.Text;

namespace BpfFixup.Snapshots;

/// <summary>
/// One <see cref="ListingLine"/> per distinct printed text, escaped (<see cref="Printable"/>) once, with an id: a
/// listing repeats most of its lines (<c>r1 = r6</c>, <c>exit</c>, a source comment), so a repeat costs a lookup, not a
/// string and a line. A line is immutable, so sharing it changes nothing a reader sees. Two lines of one cache have the
/// same id exactly when their texts are equal (a raw text that escapes to another's text gets that line), so a diff of
/// listings from one cache compares ids instead of hashing strings.
/// </summary>
internal sealed class ListingLineCache
{
    private readonly Dictionary<string, (ListingLine Line, int Id)> lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ListingLine Line, int Id)>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private readonly Dictionary<ulong, (ListingLine Line, int Id)> byInstruction = [];
    private readonly List<ListingLine> byId = [];
    private char[] buffer = new char[128];

    public ListingLineCache() => bySpan = lines.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The line of id <paramref name="id"/>.</summary>
    public ListingLine this[int id] => byId[id];

    /// <summary>Makes room for about <paramref name="count"/> distinct lines.</summary>
    public void Reserve(int count)
    {
        // Once, for the first listing: the next ones (the other side of a comparison) mostly repeat its lines.
        if (lines.Count == 0)
        {
            lines.EnsureCapacity(count);
        }
    }

    /// <summary>The line of text <paramref name="text"/> (unescaped) and its id.</summary>
    public (ListingLine Line, int Id) Of(string text)
    {
        if (!lines.TryGetValue(text, out var entry))
        {
            entry = Add(text);
        }

        return entry;
    }

    /// <summary>The line of the text in <paramref name="sb"/> (unescaped) and its id.</summary>
    public (ListingLine Line, int Id) Of(StringBuilder sb)
    {
        if (buffer.Length < sb.Length)
        {
            buffer = new char[Math.Max(sb.Length, buffer.Length * 2)];
        }

        var text = buffer.AsSpan(0, sb.Length);
        sb.CopyTo(0, text, text.Length);
        return bySpan.TryGetValue(text, out var entry) ? entry : Add(text.ToString());
    }

    /// <summary>
    /// The line an instruction whose printed text depends on nothing but its fields was given before, by its
    /// <see cref="InstructionKey"/>: most instructions of a listing repeat one printed before, and a repeat then costs
    /// one probe of a 64-bit key, not a formatting and a string hash.
    /// </summary>
    public bool TryGetInstruction(ulong key, out (ListingLine Line, int Id) entry) => byInstruction.TryGetValue(key, out entry);

    /// <summary>Records <paramref name="entry"/> as the line of the instruction of <paramref name="key"/> (see <see cref="TryGetInstruction"/>).</summary>
    public void AddInstruction(ulong key, (ListingLine Line, int Id) entry) => byInstruction.TryAdd(key, entry);

    /// <summary>
    /// The fields of a one-slot instruction packed in 64 bits as the slot holds them (RFC 9669 section 3: code, dst and
    /// src nibbles, offset, imm), or false for one that does not fit (two slots, a register beyond 4 bits).
    /// </summary>
    public static bool InstructionKey(in Isa.Instruction insn, out ulong key)
    {
        key = 0;
        if (insn.IsWide || insn.Dst > 0x0f || insn.Src > 0x0f)
        {
            return false;
        }

        key = insn.Opcode | ((ulong)insn.Dst << 8) | ((ulong)insn.Src << 12) | ((ulong)(ushort)insn.Offset << 16) | ((ulong)(uint)insn.Imm << 32);
        return true;
    }

    private (ListingLine Line, int Id) Add(string raw)
    {
        string text = Escape(raw);
        // An escaped text needs no escaping itself: as a raw text it is its own line, which this one shares.
        (ListingLine Line, int Id) entry;
        if (ReferenceEquals(text, raw))
        {
            entry = (new ListingLine(text), byId.Count);
            byId.Add(entry.Line);
        }
        else
        {
            entry = Of(text);
        }

        lines.Add(raw, entry);
        return entry;
    }

    /// <summary>
    /// <see cref="Printable.Escape"/> (the same instance when nothing needs escaping), after a vectorised look for
    /// anything outside printable ASCII: no character from <c>' '</c> to <c>'~'</c> is one <see cref="Printable.NeedsEscape"/>
    /// rewrites, so such a text is its own escape.
    /// </summary>
    private static string Escape(string text) => text.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0 ? text : Printable.Escape(text);
}
