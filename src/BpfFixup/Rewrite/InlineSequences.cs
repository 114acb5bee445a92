// SPDX-License-Identifier: MIT
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Rewrite;

/// <summary>
/// The inline sequences one rewrite places, each under a small id: an inserted <see cref="EditableInstruction"/>
/// names its sequence and its index in it instead of holding a copy of the instruction.
/// </summary>
internal sealed class InlineSequences
{
    private readonly List<IReadOnlyList<Instruction>> sequences = [];
    private readonly Dictionary<IReadOnlyList<Instruction>, int> ids = new(ReferenceEqualityComparer.Instance);
    private readonly List<(byte[] Bytes, int[] Starts)?> encoded = [];
    private ByteOrder encodedOrder;

    /// <summary>The id of <paramref name="sequence"/>, given on first use.</summary>
    public int IdOf(IReadOnlyList<Instruction> sequence)
    {
        if (!ids.TryGetValue(sequence, out int id))
        {
            id = sequences.Count;
            sequences.Add(sequence);
            ids[sequence] = id;
        }

        return id;
    }

    /// <summary>Instruction <paramref name="index"/> of sequence <paramref name="id"/>.</summary>
    public Instruction this[int id, int index] => sequences[id][index];

    /// <summary>
    /// The bytes of instructions <paramref name="index"/> to <paramref name="index"/> + <paramref name="count"/>
    /// (exclusive) of sequence <paramref name="id"/> in <paramref name="order"/> (<see cref="InstructionEncoder"/>), one
    /// block, encoded once per sequence, not once per site.
    /// </summary>
    public ReadOnlySpan<byte> Encoded(int id, int index, int count, ByteOrder order)
    {
        if (encodedOrder != order)
        {
            encoded.Clear();
            encodedOrder = order;
        }

        while (encoded.Count <= id)
        {
            encoded.Add(null);
        }

        var e = encoded[id];
        if (e is null)
        {
            var sequence = sequences[id];
            var starts = new int[sequence.Count + 1];
            for (int j = 0; j < sequence.Count; j++)
            {
                starts[j + 1] = starts[j] + (sequence[j].Width * InstructionDecoder.SlotSize);
            }

            e = encoded[id] = (InstructionEncoder.EncodeAll([.. sequence], order), starts);
        }

        var (bytes, at) = e.Value;
        return bytes.AsSpan(at[index], at[index + count] - at[index]);
    }
}
