// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BpfFixup.Diagnostics;
using BpfFixup.Text;

namespace BpfFixup.Rendering.Sarif;

/// <summary>
/// SARIF partialFingerprints (§3.27.17) that survive unrelated edits: the rule, the section and function, and the
/// message with its instruction numbers taken out — never a line, column or instruction index, which shift when
/// code above moves. Findings that would share a fingerprint are told apart by their order (<c>hash:1</c>,
/// <c>hash:2</c>), as GitHub's own primaryLocationLineHash does.
/// </summary>
public sealed partial class ResultFingerprints
{
    /// <summary>The partialFingerprints key (a versioned name: a change of the recipe gets a new key).</summary>
    public const string Key = "bpffixupFingerprint/v1";

    /// <summary>The longest fingerprint: 32 hex digits, a colon and an occurrence number.</summary>
    public const int MaxLength = 32 + 1 + 10;

    // The fingerprints met so far, by their first 64 bits, in an open-addressing table (0 is empty, a key of 0 is kept
    // as 1), and the occurrence count of those met more than once: 16 bytes per finding at most half full, where a
    // Dictionary<UInt128, int> took 36 and twice that while it grew (124k findings were 9 MB of a 100 MB peak, issue 8).
    // 64 bits tell 124k findings apart but for a chance of about 1 in 10^9 (an occurrence number one too high).
    private readonly Dictionary<ulong, int> repeats = [];
    private ulong[] slots;
    private int used;
    private readonly CharBuffer stable = new();
    private byte[] utf8 = new byte[256];

    /// <summary>Fingerprints for a log of any number of findings.</summary>
    public ResultFingerprints()
        : this(0)
    {
    }

    /// <summary>Fingerprints for a log of about <paramref name="findings"/> findings (its table made once at that size).</summary>
    /// <param name="findings">How many results the log will have.</param>
    public ResultFingerprints(int findings) =>
        slots = new ulong[Math.Max(64, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Min(Math.Max(findings, 0), 1 << 29) * 2u))];

    // Findings in a row often share one message string (the analysis keeps one of each): normalised once.
    private string? lastMessage;
    private string lastNormalized = string.Empty;

    /// <summary>The fingerprint of the next finding of <paramref name="d"/>'s kind.</summary>
    /// <param name="d">The diagnostic.</param>
    /// <returns>32 hex digits of SHA-256 of the stable parts, a colon and the occurrence number.</returns>
    public string Next(Diagnostic d)
    {
        Span<char> text = stackalloc char[MaxLength];
        return new string(text[..Next(d, text)]);
    }

    /// <summary>Writes the fingerprint of the next finding of <paramref name="d"/>'s kind (see <see cref="Next(Diagnostic)"/>) to <paramref name="destination"/>.</summary>
    /// <param name="d">The diagnostic.</param>
    /// <param name="destination">At least <see cref="MaxLength"/> characters.</param>
    /// <returns>How many characters were written.</returns>
    public int Next(Diagnostic d, Span<char> destination)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (!ReferenceEquals(d.Message, lastMessage))
        {
            lastNormalized = Normalize(d.Message);
            lastMessage = d.Message;
        }

        // "{Id}\n{Section}/{Function}\n{Program}\n{normalised message}", UTF-8.
        var text = stable.Clear().Append(d.Id).Append('\n').Append(d.Section).Append('/').Append(d.Function).Append('\n')
            .Append(d.Program).Append('\n').Append(lastNormalized).Span;
        int most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (utf8.Length < most)
        {
            utf8 = new byte[Math.Max(most, utf8.Length * 2)];
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8)), digest);
        int n = Occurrence(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest));
        Convert.TryToHexStringLower(digest[..16], destination, out int length);
        destination[length++] = ':';
        n.TryFormat(destination[length..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
        return length + digits;
    }

    /// <summary>The occurrence of <paramref name="key"/> counting this one: 1 when it is new.</summary>
    private int Occurrence(ulong key)
    {
        key = key == 0 ? 1 : key;
        if (2 * (used + 1) > slots.Length)
        {
            var old = slots;
            slots = new ulong[old.Length * 2];
            foreach (ulong k in old)
            {
                if (k != 0)
                {
                    slots[SlotOf(k)] = k;
                }
            }
        }

        int i = SlotOf(key);
        if (slots[i] == 0)
        {
            slots[i] = key;
            used++;
            return 1;
        }

        ref int n = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(repeats, key, out bool exists);
        n = exists ? n + 1 : 2;
        return n;
    }

    /// <summary>The slot that holds <paramref name="key"/> or the empty one where it goes (linear probing; the key is a digest, so its low bits are spread).</summary>
    private int SlotOf(ulong key)
    {
        int mask = slots.Length - 1;
        int i = (int)key & mask;
        while (slots[i] != 0 && slots[i] != key)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    /// <summary>The message without instruction numbers (<c>insn 12</c>, <c>insns[12]</c>, <c>func#3</c>) and with runs of white space as one space.</summary>
    public static string Normalize(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Spaces().Replace(InstructionNumbers().Replace(message, "N"), " ").Trim();
    }

    [GeneratedRegex(@"(?<=\binsns?\s?\[?|\bfunc#|\binsn \d+ to\s+)\d+", RegexOptions.CultureInvariant)]
    private static partial Regex InstructionNumbers();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
