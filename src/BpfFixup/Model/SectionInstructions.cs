// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfFixup.Elf;
using BpfFixup.Isa;

namespace BpfFixup.Model;

/// <summary>
/// The decoded instructions of a code section, read from the section's bytes when asked for: no array of decoded
/// instructions is kept (issue 8's and issue 11's memory bounds: 20 bytes per instruction, twice the object's own
/// size, for what the file's 8 bytes per slot already hold). Indexing decodes one instruction
/// (the value <see cref="InstructionDecoder.Decode"/> gives; a test holds them equal) at the slot
/// <see cref="InstructionSlots"/> names in constant time. Used as the array it replaces: <see cref="Length"/>,
/// an indexer, <c>foreach</c> and LINQ.
/// </summary>
public sealed class SectionInstructions : IReadOnlyList<Instruction>
{
    private readonly byte[] bytes;
    private readonly int offset;
    private readonly ByteOrder order;
    private readonly InstructionSlots slots;

    internal SectionInstructions(ReadOnlyMemory<byte> data, ByteOrder order, InstructionSlots slots)
    {
        if (MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is { } array)
        {
            bytes = array;
            offset = segment.Offset;
        }
        else
        {
            bytes = data.ToArray();
            offset = 0;
        }

        this.order = order;
        this.slots = slots;
    }

    /// <summary>The number of instructions.</summary>
    public int Length => slots.Count;

    /// <inheritdoc />
    public int Count => slots.Count;

    /// <summary>Instruction <paramref name="insn"/>.</summary>
    public Instruction this[int insn]
    {
        get
        {
            int slot = slots.SlotOf(insn, out bool wide);
            return At(slot, wide);
        }
    }

    /// <summary>
    /// The instruction whose first slot is <paramref name="slot"/>: <see cref="InstructionDecoder.Decode"/>'s value,
    /// read as one 64-bit word per slot (a third of its cost, which every pass over the model pays).
    /// </summary>
    private Instruction At(int slot, bool wide)
    {
        // The slots lie inside the section (InstructionSlots was built from its length), and the section inside the
        // array: one range check for the words read, not a span per field.
        int at = offset + (slot * InstructionDecoder.SlotSize);
        if (at < 0 || at > bytes.Length - (wide ? 16 : 8))
        {
            throw new ArgumentOutOfRangeException(nameof(slot));
        }

        ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bytes), at);
        ulong first = Unsafe.ReadUnaligned<ulong>(ref start);
        ulong second = wide ? Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, InstructionDecoder.SlotSize)) : 0;
        if (!BitConverter.IsLittleEndian)
        {
            first = BinaryPrimitives.ReverseEndianness(first);
            second = BinaryPrimitives.ReverseEndianness(second);
        }

        return InstructionDecoder.FromWords(first, second, wide, order);
    }

    /// <summary>The instructions in order, as a new array.</summary>
    public Instruction[] ToArray()
    {
        var result = new Instruction[Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = this[i];
        }

        return result;
    }

    /// <summary>An enumerator over the instructions in order.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Instruction> IEnumerable<Instruction>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the instructions in order, decoding each once.</summary>
    public struct Enumerator : IEnumerator<Instruction>
    {
        private readonly SectionInstructions owner;
        private int index;
        private int slot;

        internal Enumerator(SectionInstructions owner)
        {
            this.owner = owner;
            index = -1;
            slot = 0;
            Current = default;
        }

        /// <inheritdoc />
        public Instruction Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext()
        {
            if (index >= 0)
            {
                slot += Current.Width;
            }

            if (index + 1 >= owner.Length)
            {
                index = owner.Length;
                return false;
            }

            index++;
            Current = owner.At(slot, owner.slots.IsWide(index));
            return true;
        }

        /// <inheritdoc />
        public void Reset()
        {
            index = -1;
            slot = 0;
            Current = default;
        }

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
