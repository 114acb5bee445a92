// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BpfFixup.IO;

/// <summary>
/// Streams a JSON document to an output as it is produced, so the whole document never sits in memory
/// (issue 8: the dump and SARIF of a 1M-instruction object took 2.4-2.7 GB as strings). The writer is indented
/// with LF line ends and relaxed escaping (<see cref="ReadableJson"/>), so the bytes equal those of
/// <c>JsonSerializer.Serialize</c> with the same options; it is flushed every <see cref="FlushThreshold"/> bytes.
/// A name byte that is not UTF-8 (a lone surrogate, <see cref="Text.RawUtf8"/>) is written <c>\uFFFD</c> by the
/// writer: JSON text is UTF-8 (RFC 8259 section 8.1) and an unpaired <c>\udcNN</c> escape leaves receivers
/// unpredictable (section 8.2), so every document stays valid JSON that any parser reads.
/// </summary>
public static class JsonOutput
{
    /// <summary>Pending bytes after which <see cref="FlushIfFull"/> writes them out.</summary>
    public const int FlushThreshold = 1 << 16;

    /// <summary>The writer options of every streamed document.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Runs <paramref name="write"/> with a JSON writer whose bytes go to <paramref name="output"/>, then ends the
    /// document with a newline. A <see cref="StreamWriter"/> is flushed and its stream written to directly; any other
    /// writer receives the decoded text.
    /// </summary>
    /// <param name="output">Where the document goes.</param>
    /// <param name="write">Writes the document, calling <see cref="FlushIfFull"/> between its parts.</param>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        if (output is StreamWriter { BaseStream: { CanWrite: true } stream } sw && sw.Encoding is UTF8Encoding && sw.Encoding.Preamble.Length == 0)
        {
            sw.Flush();
            Write(stream, write);
            return;
        }

        using var adapter = new TextWriterStream(output);
        Write(adapter, write);
        adapter.Flush();
    }

    /// <summary>Runs <paramref name="write"/> with a JSON writer on <paramref name="output"/>, then writes a newline.</summary>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    /// <param name="write">Writes the document.</param>
    public static void Write(Stream output, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            write(writer);
            writer.Flush();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }

    /// <summary>Writes the pending bytes out once there are <see cref="FlushThreshold"/> of them.</summary>
    /// <param name="writer">The writer.</param>
    public static void FlushIfFull(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer.BytesPending >= FlushThreshold)
        {
            writer.Flush();
        }
    }

    /// <summary>A write-only stream that decodes UTF-8 into a text writer (for writers without a byte stream).</summary>
    private sealed class TextWriterStream(TextWriter output) : Stream
    {
        private readonly Decoder decoder = new UTF8Encoding(false, true).GetDecoder();
        private char[] chars = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => output.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int needed = decoder.GetCharCount(buffer, flush: false);
            if (chars.Length < needed)
            {
                chars = new char[Math.Max(needed, 4096)];
            }

            int n = decoder.GetChars(buffer, chars, flush: false);
            output.Write(chars, 0, n);
        }
    }
}
