// SPDX-License-Identifier: MIT
using BpfFixup.IO;
using BpfFixup.Text;

namespace BpfFixup.Cli;

/// <summary>
/// One status line on stderr (<c>bpffixup: checking big.o (2/5)</c>) once a run has taken more than
/// <see cref="Delay"/>, refreshed by a timer while a step runs and erased (carriage return, spaces, carriage
/// return: no terminal escape) before anything else is written to stderr and at the end. Nothing at all when
/// progress is off (<see cref="ProgressSettings.Enabled"/>). When stdout is a terminal too, the first bytes
/// written to stdout erase the line and end progress (<see cref="EndOnWrite"/>), so output and status never mix.
/// </summary>
internal sealed class ProgressReporter : IDisposable
{
    /// <summary>How long a run goes before the status shows.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    /// <summary>How often the timer refreshes a shown status.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The status is cut to this many characters: the terminal's width is never queried, and a wrapped line could not be erased.</summary>
    public const int MaxWidth = 79;

    private static readonly AsyncLocal<ProgressReporter?> CurrentRun = new();

    private readonly Lock gate = new();
    private readonly TextWriter terminal;
    private readonly TimeProvider time;
    private readonly long start;
    private readonly ITimer? timer;
    private string? status;
    private long lastShown;
    private int shown;
    private bool stopped;

    private readonly bool stdoutIsTerminal;

    public ProgressReporter(TextWriter error, ProgressSettings settings)
    {
        terminal = error;
        time = settings.Time;
        start = time.GetTimestamp();
        stopped = !settings.Enabled;
        stdoutIsTerminal = settings.StdoutIsTerminal;
        Error = stopped ? error : new ClearingWriter(this, error);
        if (!stopped)
        {
            timer = time.CreateTimer(_ => Refresh(), null, Delay, Interval);
        }
    }

    /// <summary>The reporter of the command line running on this flow (set by <see cref="CliRunner"/>); null outside a run.</summary>
    public static ProgressReporter? Current { get => CurrentRun.Value; set => CurrentRun.Value = value; }

    /// <summary>stderr for the run: writing to it erases the status line first.</summary>
    public TextWriter Error { get; }

    /// <summary>
    /// <paramref name="stdout"/>, wrapped when progress is on and stdout is a terminal: its first write erases the
    /// status and ends progress. (A stream, not a writer: commands write binary objects and JSON to its bytes.)
    /// </summary>
    public Stream EndOnWrite(Stream stdout) => stopped || !stdoutIsTerminal ? stdout : new EndingStream(this, stdout);

    /// <summary>The stream under <paramref name="s"/> when it is one of <see cref="EndOnWrite"/>'s, else <paramref name="s"/>.</summary>
    public static Stream Unwrap(Stream s) => s is EndingStream e ? e.Inner : s;

    /// <summary>
    /// Whether <paramref name="writer"/> writes to the process's stdout or stderr and that is a terminal (what
    /// <c>--color=auto</c> asks), seen through the reporter's wrappers. In-process runs (tests) write to other writers
    /// and never count as a terminal.
    /// </summary>
    public static bool IsTerminal(TextWriter writer) => writer switch
    {
        ClearingWriter c => IsTerminal(c.Inner),
        StreamWriter { BaseStream: var s } => Unwrap(s) is DescriptorStream { IsTerminal: true },
        _ => false,
    };

    /// <summary>Says what the run does now, e.g. <c>Step("checking", "x.o", 2, 5)</c>.</summary>
    public static void Step(string verb, string file, int index, int count) =>
        Current?.Report(count > 1 ? $"{verb} {file} ({index + 1}/{count})" : $"{verb} {file}");

    /// <summary>
    /// Sets the status; shown at once when the run is already past <see cref="Delay"/> and the line was not
    /// written within <see cref="Interval"/> (thousands of small steps are not thousands of writes), else by the timer.
    /// </summary>
    public void Report(string text)
    {
        lock (gate)
        {
            if (stopped)
            {
                return;
            }

            status = "bpffixup: " + Printable.Escape(text);
            if (status.Length > MaxWidth)
            {
                status = status[..(MaxWidth - 3)] + "...";
            }

            if (time.GetElapsedTime(start) >= Delay && (shown == 0 || time.GetElapsedTime(lastShown) >= Interval))
            {
                Show();
            }
        }
    }

    /// <summary>Erases the status line and ends progress.</summary>
    public void Dispose()
    {
        timer?.Dispose();
        Stop();
    }

    private void Stop()
    {
        lock (gate)
        {
            Clear();
            stopped = true;
        }
    }

    private void Refresh()
    {
        lock (gate)
        {
            if (!stopped && status is not null && time.GetElapsedTime(start) >= Delay)
            {
                Show();
            }
        }
    }

    private void Show()
    {
        // A status that cannot be written (stderr closed or gone) ends progress; the run itself reports stderr errors.
        try
        {
            terminal.Write("\r" + status!.PadRight(shown) + (status.Length < shown ? "\r" + status : string.Empty));
            terminal.Flush();
            shown = status.Length;
            lastShown = time.GetTimestamp();
        }
#pragma warning disable CA1031 // On the timer's thread an exception would end the process.
        catch (Exception)
#pragma warning restore CA1031
        {
            stopped = true;
        }
    }

    private void Clear()
    {
        if (shown == 0 || stopped)
        {
            return;
        }

        try
        {
            terminal.Write("\r" + new string(' ', shown) + "\r");
            terminal.Flush();
        }
#pragma warning disable CA1031 // As in Show.
        catch (Exception)
#pragma warning restore CA1031
        {
            stopped = true;
        }

        shown = 0;
    }

    /// <summary>
    /// Erases the status before each write to the inner writer, under the reporter's lock, so that the timer cannot
    /// write the status between the erasing and the line.
    /// </summary>
    private sealed class ClearingWriter(ProgressReporter progress, TextWriter inner) : TextWriter
    {
        public TextWriter Inner => inner;

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            lock (progress.gate)
            {
                progress.Clear();
                inner.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (progress.gate)
            {
                progress.Clear();
                inner.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (progress.gate)
            {
                progress.Clear();
                inner.Write(buffer, index, count);
            }
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            lock (progress.gate)
            {
                progress.Clear();
                inner.Write(buffer);
            }
        }

        public override void Flush() => inner.Flush();
    }

    /// <summary>Ends progress before the first byte reaches the inner stream.</summary>
    private sealed class EndingStream(ProgressReporter progress, Stream inner) : Stream
    {
        /// <summary>The stream written through (stdout's descriptor).</summary>
        public Stream Inner => inner;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.Length > 0)
            {
                progress.Stop();
            }

            inner.Write(buffer);
        }
    }
}
