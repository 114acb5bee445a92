// SPDX-License-Identifier: MIT
using BpfFixup.Cli;
using static BpfFixup.Tests.TestKit.CliRun;

namespace BpfFixup.Tests.Cli;

/// <summary>
/// Issue 12 item 8: a status line on stderr only when stderr is a terminal, not on CI, and only once a run has
/// taken more than a second; erased before other stderr lines and at the end. The terminal and the clock are fakes.
/// </summary>
public sealed class ProgressTests
{
    [Fact]
    public void A_slow_run_on_a_terminal_shows_the_status_and_erases_it()
    {
        var clock = new SteppingClock(TimeSpan.FromMilliseconds(700));
        var (code, stdout, stderr) = RunWith(Settings(clock), "check", Sample("session_basic-el.o"), Sample("session_subprog-el.o"));
        Assert.Equal(0, code);
        Assert.Contains("\rbpffixup: checking ", stderr, StringComparison.Ordinal);
        Assert.Contains("(2/2)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stderr); // no terminal escape: carriage returns and spaces only
        Assert.Equal(string.Empty, Visible(stderr));
        Assert.Equal(Run("check", Sample("session_basic-el.o"), Sample("session_subprog-el.o")).Out, stdout);
    }

    [Fact]
    public void Sarif_which_goes_on_past_a_bad_input_shows_the_reading_status_too()
    {
        var clock = new SteppingClock(TimeSpan.FromMilliseconds(700));
        string bad = Path.Combine(Path.GetTempPath(), $"bpffixup-progress-{Environment.ProcessId}-bad.o");
        File.WriteAllText(bad, "not an ELF file");
        try
        {
            var (code, _, stderr) = RunWith(Settings(clock), "check", "--format", "sarif", Sample("session_basic-el.o"), bad);
            Assert.Equal(2, code);
            Assert.Contains("\rbpffixup: reading ", stderr, StringComparison.Ordinal);
            Assert.Contains("(2/2)", stderr, StringComparison.Ordinal);
            Assert.StartsWith("bpffixup: error: ", Visible(stderr), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void A_fast_run_shows_nothing()
    {
        var clock = new SteppingClock(TimeSpan.Zero);
        var (_, _, stderr) = RunWith(Settings(clock), "check", Sample("session_basic-el.o"), Sample("session_subprog-el.o"));
        Assert.Equal(string.Empty, stderr);
    }

    [Theory]
    [InlineData(false, null, null)]
    [InlineData(true, "true", null)]
    [InlineData(true, "1", null)]
    [InlineData(true, null, "dumb")]
    public void Not_a_terminal_on_ci_or_dumb_shows_nothing(bool terminal, string? ci, string? term)
    {
        var clock = new SteppingClock(TimeSpan.FromSeconds(5));
        var settings = new ProgressSettings(terminal, false, clock, name => name switch { "CI" => ci, "TERM" => term, _ => null });
        var (code, _, stderr) = RunWith(settings, "check", Sample("session_basic-el.o"), Sample("session_subprog-el.o"));
        Assert.Equal((0, string.Empty), (code, stderr));
        Assert.Equal(0, clock.Timers);
    }

    [Fact]
    public void The_timer_shows_a_long_step_and_an_error_line_comes_out_clean()
    {
        var clock = new SteppingClock(TimeSpan.Zero);
        using var error = new StringWriter { NewLine = "\n" };
        using var progress = new ProgressReporter(error, Settings(clock));
        progress.Report("checking big.o");
        Assert.Equal(string.Empty, error.ToString()); // before the delay: nothing
        clock.Advance(TimeSpan.FromSeconds(1.5));
        clock.Fire();
        Assert.Equal("\rbpffixup: checking big.o", error.ToString());
        progress.Error.Write("bpffixup: error: x\n");
        progress.Report("patching b.o");
        progress.Dispose();
        Assert.Equal("bpffixup: error: x\n", Visible(error.ToString()));
        Assert.Equal(
            "\rbpffixup: checking big.o" + "\r" + new string(' ', 24) + "\r" + "bpffixup: error: x\n" + "\rbpffixup: patching b.o" + "\r" + new string(' ', 22) + "\r",
            error.ToString());
    }

    [Fact]
    public void Stdout_on_the_same_terminal_ends_progress_at_its_first_byte()
    {
        var clock = new SteppingClock(TimeSpan.Zero);
        using var error = new StringWriter { NewLine = "\n" };
        using var progress = new ProgressReporter(error, Settings(clock) with { StdoutIsTerminal = true });
        using var bytes = new MemoryStream();
        using var stdout = progress.EndOnWrite(bytes);
        clock.Advance(TimeSpan.FromSeconds(2));
        progress.Report("listing big.o");
        stdout.Write("x\n"u8);
        progress.Report("listing c.o");
        clock.Fire();
        Assert.Equal("\rbpffixup: listing big.o\r" + new string(' ', 23) + "\r", error.ToString());
        Assert.Equal("x\n"u8.ToArray(), bytes.ToArray());
    }

    [Fact]
    public void Steps_closer_than_the_interval_are_one_write_the_timer_catches_up()
    {
        var clock = new SteppingClock(TimeSpan.Zero);
        using var error = new StringWriter();
        using var progress = new ProgressReporter(error, Settings(clock));
        clock.Advance(TimeSpan.FromSeconds(2));
        progress.Report("checking a.o");
        progress.Report("checking b.o");
        progress.Report("checking c.o");
        Assert.Equal("\rbpffixup: checking a.o", error.ToString());
        clock.Advance(ProgressReporter.Interval);
        clock.Fire();
        Assert.Equal("\rbpffixup: checking a.o\rbpffixup: checking c.o", error.ToString());
        clock.Advance(ProgressReporter.Interval);
        progress.Report("checking d.o");
        Assert.EndsWith("\rbpffixup: checking d.o", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_name_is_cut_and_escaped()
    {
        var clock = new SteppingClock(TimeSpan.Zero);
        using var error = new StringWriter();
        using var progress = new ProgressReporter(error, Settings(clock));
        clock.Advance(TimeSpan.FromSeconds(2));
        progress.Report("checking \u001b[2J" + new string('a', 200));
        string line = error.ToString();
        Assert.Equal(1 + ProgressReporter.MaxWidth, line.Length);
        Assert.StartsWith("\rbpffixup: checking \\x1b[2J", line, StringComparison.Ordinal);
        Assert.EndsWith("...", line, StringComparison.Ordinal);
    }

    private static ProgressSettings Settings(TimeProvider clock) => new(true, false, clock, _ => null);

    private static string Sample(string name) => TestPaths.Sample(name);

    /// <summary>What a terminal would show: each carriage return goes back to the start of the line, which is then overwritten.</summary>
    private static string Visible(string text)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        int col = 0;
        foreach (char c in text)
        {
            if (c == '\r')
            {
                col = 0;
            }
            else if (c == '\n')
            {
                lines.Add(line.ToString().TrimEnd());
                line.Clear();
                col = 0;
            }
            else
            {
                if (col < line.Length)
                {
                    line[col] = c;
                }
                else
                {
                    line.Append(c);
                }

                col++;
            }
        }

        return string.Concat(lines.Select(l => l + "\n")) + line.ToString().TrimEnd();
    }

    private static (int Code, string Out, string Err) RunWith(ProgressSettings settings, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        int code = CliRunner.Run(args, output, error, new ProgressReporter(error, settings));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A clock that moves <c>step</c> on every reading (a run that is slow everywhere), plus timers fired by hand.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private readonly List<(TimerCallback Callback, object? State)> timers = [];
        private long now;

        public int Timers => timers.Count;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => now += step.Ticks;

        public void Advance(TimeSpan by) => now += by.Ticks;

        public void Fire()
        {
            foreach (var (callback, state) in timers)
            {
                callback(state);
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            timers.Add((callback, state));
            return new NoTimer();
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
