// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using System.Diagnostics;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Rendering.Json;
using BpfFixup.Rewrite;
using BpfFixup.Snapshots;

namespace BpfFixup.Tests.Model;

/// <summary>
/// Truncated and byte-flipped copies of every sample must either load (and then render a full listing in both
/// syntaxes and JSON) or fail with exactly one error diagnostic; no exception may escape and nothing may hang.
/// The variants are deterministic (seeded per sample) so a failure names a reproducible case.
/// </summary>
public class CorruptionTests
{
    private static readonly int FlipsPerSample = int.TryParse(Environment.GetEnvironmentVariable("BPFFIXUP_CORRUPTION_FLIPS"), out int n) ? n : 300;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_truncation_and_byte_flip_loads_or_fails_with_one_clean_error()
    {
        var samples = TestPaths.AllSamples();
        var failures = new ConcurrentQueue<string>();
        int cases = 0, loaded = 0;
        var work = Task.Run(() => Parallel.For(0, samples.Count, i =>
        {
            var original = File.ReadAllBytes(samples[i]);
            string name = Path.GetFileName(samples[i]);
            foreach (var (label, bytes) in Variants(original, seed: 1000 + i))
            {
                Interlocked.Increment(ref cases);
                if (Check(bytes, ref loaded) is { } problem)
                {
                    failures.Enqueue($"{name} {label}: {problem}");
                }
            }
        }));
        var clock = Stopwatch.StartNew();
        Assert.True(await Task.WhenAny(work, Task.Delay(Limit)) == work, $"corruption cases did not finish within {Limit.TotalSeconds} s: a loop in a reader is not bounded by its input");
        await work;
        // Both outcomes must be exercised, or the variants are not testing what they claim.
        Assert.InRange(loaded, cases / 10, cases - (cases / 10));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases} cases failed ({clock.Elapsed.TotalSeconds:F1} s):\n" + string.Join("\n", failures.Take(20)));
    }

    /// <summary>Null when the bytes load and render, or fail with one clean error; else what went wrong.</summary>
    internal static string? Check(byte[] bytes, ref int loaded)
    {
        var diags = new DiagnosticBag();
        try
        {
            if (ObjectLoader.TryLoad(bytes, "x.o", diags, out var obj))
            {
                Assert.NotNull(obj);
                Interlocked.Increment(ref loaded);
                _ = new ListingWriter(new ListingOptions { ShowSource = true }).Render(obj!);
                _ = new ListingWriter(new ListingOptions { Syntax = ListingSyntax.Xlated }).Render(obj!);
                _ = DumpJson.Serialize([DumpJson.Build(obj!, new ListingOptions())]);
                // The rest of the pipeline must cope with whatever loads: analysis, rewrite, reload, listings.
                var outcome = FixupPipeline.Run(obj!, new RewriteOptions());
                if (outcome.Patched is { } patched)
                {
                    _ = ProgramListingRenderer.Render(patched, outcome.Rewrite!.Inlined);
                }
                else if (outcome.Rewrite is { Output: not null })
                {
                    return "a rewrite produced bytes that do not load: " + string.Join(" | ", outcome.Rewrite.Diagnostics.Where(d => d.Severity == Severity.Error));
                }

                return null;
            }

            if (diags.Items.Count != 1)
            {
                return $"{diags.Items.Count} diagnostics instead of one: {string.Join(" | ", diags.Items)}";
            }

            var d = diags.Items[0];
            if (d.Severity != Severity.Error || d.File != "x.o" || string.IsNullOrEmpty(d.Message) || d.Message.Contains('\n', StringComparison.Ordinal))
            {
                return $"unclean diagnostic: {d}";
            }

            return null;
        }
#pragma warning disable CA1031 // Any exception is the finding.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var frame = e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("BpfFixup.", StringComparison.Ordinal))?.Trim();
            return $"{e.GetType().Name}: {e.Message} {frame}";
        }
    }

    /// <summary>Truncations at many lengths, then byte flips spread over the ELF header, section headers, symtab,
    /// relocation sections, .BTF, .BTF.ext and code.</summary>
    internal static IEnumerable<(string Label, byte[] Bytes)> Variants(byte[] original, int seed)
    {
        var rng = new Random(seed);
        var regions = Regions(original);
        var lengths = new SortedSet<int> { 0, 1, 4, 5, 6, 16, 17, 63, 64, 65, original.Length - 1 };
        foreach (var (start, end, _) in regions)
        {
            lengths.Add(start);
            lengths.Add(start + 1);
            lengths.Add(end - 1);
        }

        for (int i = 0; i < 24; i++)
        {
            lengths.Add(rng.Next(original.Length));
        }

        foreach (int length in lengths)
        {
            if (length >= 0 && length < original.Length)
            {
                yield return ($"truncated to {length}", original[..length]);
            }
        }

        for (int i = 0; i < FlipsPerSample; i++)
        {
            var (start, end, what) = regions[i % regions.Count];
            var bytes = (byte[])original.Clone();
            if (i % 3 == 2 && end - start >= 4)
            {
                // Every third variant overwrites an aligned 32-bit field with an extreme value instead: counts,
                // offsets and sizes at their limits are what random bit flips rarely produce.
                int word = start + (rng.Next((end - start) / 4) * 4);
                uint[] extremes = [0, 0xffffffff, 0x7fffffff, 0x80000000, (uint)original.Length, (uint)original.Length + 1, 8, 0xfffffff8];
                uint value = extremes[rng.Next(extremes.Length)];
                BitConverter.TryWriteBytes(bytes.AsSpan(word, 4), value);
                if (rng.Next(2) == 0)
                {
                    bytes.AsSpan(word, 4).Reverse();
                }

                yield return ($"word at 0x{word:x} in {what} := 0x{value:x8}", bytes);
                continue;
            }

            int flips = 1 + rng.Next(3);
            var desc = new List<string>();
            for (int f = 0; f < flips; f++)
            {
                int at = start + rng.Next(Math.Max(1, end - start));
                byte mask = (byte)(rng.Next(3) switch { 0 => 1 << rng.Next(8), 1 => 0xff, _ => 1 + rng.Next(255) });
                if (at < bytes.Length)
                {
                    bytes[at] ^= mask;
                    desc.Add($"0x{at:x}^0x{mask:x2}");
                }
            }

            yield return ($"flip in {what} [{string.Join(' ', desc)}]", bytes);
        }
    }

    private static List<(int Start, int End, string What)> Regions(byte[] original)
    {
        var regions = new List<(int, int, string)> { (0, 64, "ELF header") };
        Assert.True(ElfReader.TryRead(original, "x.o", new DiagnosticBag(), out var elf));
        int shoff = (int)elf!.Header.SectionHeaderOffset;
        regions.Add((shoff, shoff + (elf.Sections.Count * 64), "section headers"));
        foreach (var s in elf.Sections)
        {
            if (s.Size == 0 || !s.HasFileData)
            {
                continue;
            }

            string? what = s.Type switch
            {
                ElfConstants.ShtSymtab => "symtab",
                ElfConstants.ShtRel => "rel " + s.Name,
                _ when s.Name is ".BTF" or ".BTF.ext" => s.Name,
                _ when s.IsCode => "code " + s.Name,
                _ when s.Type == ElfConstants.ShtStrtab => "strtab",
                _ => null,
            };
            if (what is not null)
            {
                regions.Add(((int)s.Offset, (int)(s.Offset + s.Size), what));
            }
        }

        return regions;
    }
}
