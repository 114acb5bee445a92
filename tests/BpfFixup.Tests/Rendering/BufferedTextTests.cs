// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Rendering;

namespace BpfFixup.Tests.Rendering;

/// <summary>The one buffered writer of text reports (check's text, the CLI's diagnostics): writes in pieces, never a line at a time, never all at once.</summary>
public sealed class BufferedTextTests
{
    /// <summary>Records each write it receives.</summary>
    private sealed class RecordingWriter : StringWriter
    {
        public List<int> Writes { get; } = [];

        public override void Write(StringBuilder? value)
        {
            Writes.Add(value?.Length ?? 0);
            base.Write(value);
        }
    }

    [Fact]
    public void Pending_text_is_written_once_it_reaches_the_threshold_and_not_before()
    {
        using var output = new RecordingWriter();
        var pending = new StringBuilder();
        pending.Append('x', BufferedText.Threshold - 1);
        BufferedText.FlushIfFull(output, pending);
        Assert.Empty(output.Writes);
        Assert.Equal(BufferedText.Threshold - 1, pending.Length);

        pending.Append("yz");
        BufferedText.FlushIfFull(output, pending);
        Assert.Equal([BufferedText.Threshold + 1], output.Writes);
        Assert.Equal(0, pending.Length);

        pending.Append("tail");
        BufferedText.Flush(output, pending);
        Assert.Equal([BufferedText.Threshold + 1, 4], output.Writes);
        Assert.Equal(new string('x', BufferedText.Threshold - 1) + "yztail", output.ToString());
    }

    [Fact]
    public void Flush_of_nothing_writes_nothing_visible()
    {
        using var output = new RecordingWriter();
        BufferedText.Flush(output, new StringBuilder());
        Assert.Equal(string.Empty, output.ToString());
    }
}
