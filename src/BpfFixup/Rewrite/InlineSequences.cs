// SPDX-License-Identifier: MIT
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
}
