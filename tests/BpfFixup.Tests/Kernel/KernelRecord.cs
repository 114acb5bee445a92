// SPDX-License-Identifier: MIT
using System.Text.Json;

namespace BpfFixup.Tests.Kernel;

/// <summary>What the kernel did with one program (one record of tests/kernel/loader.c).</summary>
public sealed record KernelProgram
{
    /// <summary>The program's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its ELF section.</summary>
    public required string Section { get; init; }

    /// <summary>The attach target the loader used instead of the section's (a function 7.2 renamed), if any.</summary>
    public string? RetargetedTo { get; init; }

    /// <summary>True when bpf_object__load succeeded.</summary>
    public required bool Loaded { get; init; }

    /// <summary>The positive errno of a failed load, else 0.</summary>
    public required int Errno { get; init; }

    /// <summary>The verifier log (log_level 1, written only when the load failed).</summary>
    public required string Log { get; init; }

    /// <summary>What libbpf printed at WARN/INFO level while opening and loading.</summary>
    public required string Libbpf { get; init; }

    /// <summary>The translated instructions (xlated_prog_insns), empty for a rejected program.</summary>
    public required byte[] Xlated { get; init; }

    /// <summary>The attach-and-run result, for programs on bpf_fentry_test*.</summary>
    public KernelRun? Run { get; init; }

    /// <summary>
    /// The kernel's (or, when the verifier was never reached, libbpf's) first error line. In a log_level 1 log the
    /// error is the block of lines after the last instruction, state or source line and before "processed N insns";
    /// its first line is the cause (e.g. "arg#0 reference type('UNKNOWN ') size cannot be determined: -22" before
    /// "Caller passes invalid args into func#1 ...").
    /// </summary>
    public string? FirstErrorLine
    {
        get
        {
            if (Loaded)
            {
                return null;
            }

            var lines = Log.Split('\n').Select(l => l.TrimEnd()).ToList();
            int end = lines.FindIndex(l => l.StartsWith("processed ", StringComparison.Ordinal));
            if (end < 0)
            {
                end = lines.Count;
            }

            int start = end;
            while (start > 0 && !IsTraceLine(lines[start - 1]))
            {
                start--;
            }

            for (int i = start; i < end; i++)
            {
                if (lines[i].Length > 0)
                {
                    return lines[i];
                }
            }

            // libbpf stopped before the verifier: its first line that is not the generic load-failure summary.
            foreach (string raw in Libbpf.Split('\n'))
            {
                string l = raw.StartsWith("libbpf: ", StringComparison.Ordinal) ? raw["libbpf: ".Length..] : raw;
                if (l.Length > 0 && !l.Contains("BPF program load failed", StringComparison.Ordinal) && !l.Contains("failed to load", StringComparison.Ordinal))
                {
                    return l;
                }
            }

            return Libbpf.Split('\n').FirstOrDefault(l => l.Length > 0);
        }
    }

    /// <summary>An instruction ("12: (85) call ..."), state ("12: R1=ctx()", "from 3 to 5: ...") or source ("; x @ f.c:3") line.</summary>
    private static bool IsTraceLine(string line)
    {
        if (line.StartsWith("; ", StringComparison.Ordinal) || line.StartsWith("from ", StringComparison.Ordinal))
        {
            return true;
        }

        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && line[..colon].All(char.IsAsciiDigit);
    }
}

/// <summary>One BPF_PROG_TEST_RUN trigger.</summary>
/// <param name="Errno">The positive errno, 0 on success.</param>
/// <param name="Retval">The program's return value as reported.</param>
public sealed record KernelTestRun(int Errno, uint Retval);

/// <summary>Attaching a program and triggering it, then the object's globals read back.</summary>
public sealed record KernelRun
{
    /// <summary>True when bpf_program__attach succeeded.</summary>
    public required bool Attached { get; init; }

    /// <summary>The triggers, in order.</summary>
    public required IReadOnlyList<KernelTestRun> Runs { get; init; }

    /// <summary>Every variable of the .bss/.data maps after the runs, by name, as raw bytes.</summary>
    public required IReadOnlyDictionary<string, byte[]> Globals { get; init; }

    /// <summary>The little-endian u64 global <paramref name="name"/>.</summary>
    public ulong U64(string name) =>
        Globals.TryGetValue(name, out var v) && v.Length == 8
            ? BitConverter.ToUInt64(v)
            : throw new KeyNotFoundException($"no 8-byte global '{name}' in the record (have {string.Join(", ", Globals.Keys)})");
}

/// <summary>The kernel's answers for one object.</summary>
/// <param name="Object">The object's file name.</param>
/// <param name="OpenErrno">The errno of a failed bpf_object__open, else 0.</param>
/// <param name="Libbpf">libbpf's words on a failed open.</param>
/// <param name="Programs">One record per program, in libbpf's order.</param>
public sealed record KernelObject(string Object, int OpenErrno, string Libbpf, IReadOnlyList<KernelProgram> Programs);

/// <summary>A record written by tests/kernel/run.sh: one JSON file per object, plus what the guest was.</summary>
public sealed class KernelRecord
{
    private readonly Dictionary<string, KernelObject> objects;

    private KernelRecord(string directory, Dictionary<string, KernelObject> objects, string release, string bpftool)
    {
        Directory = directory;
        this.objects = objects;
        KernelRelease = release;
        BpftoolVersion = bpftool;
    }

    /// <summary>Where the record is.</summary>
    public string Directory { get; }

    /// <summary>uname -r in the guest.</summary>
    public string KernelRelease { get; }

    /// <summary>bpftool version in the guest.</summary>
    public string BpftoolVersion { get; }

    /// <summary>The objects recorded, by file name.</summary>
    public IReadOnlyDictionary<string, KernelObject> Objects => objects;

    /// <summary>The record of program <paramref name="program"/> in <paramref name="objectName"/>; fails the test when absent.</summary>
    public KernelProgram Program(string objectName, string program)
    {
        Assert.True(objects.TryGetValue(objectName, out var obj), $"the kernel record in {Directory} has no {objectName}");
        var p = obj!.Programs.FirstOrDefault(p => p.Name == program);
        Assert.True(p is not null, $"the kernel record of {objectName} has no program {program} (open errno {obj.OpenErrno}: {obj.Libbpf.Trim()})");
        return p!;
    }

    /// <summary>Reads the record in <paramref name="directory"/>.</summary>
    public static KernelRecord Read(string directory)
    {
        var objects = new Dictionary<string, KernelObject>(StringComparer.Ordinal);
        foreach (string file in System.IO.Directory.GetFiles(Path.Combine(directory, "objects"), "*.json"))
        {
            string rc = Path.ChangeExtension(file, ".rc");
            string status = File.Exists(rc) ? File.ReadAllText(rc).Trim() : "?";
            Assert.True(status == "0", $"the loader exited with {status} for {Path.GetFileName(file)} (124: the guest's timeout); see {Path.ChangeExtension(file, ".stderr")}");
            var obj = Parse(File.ReadAllBytes(file));
            objects[obj.Object] = obj;
        }

        string Text(string name) => File.Exists(Path.Combine(directory, name)) ? File.ReadAllText(Path.Combine(directory, name)).Trim() : string.Empty;
        return new KernelRecord(directory, objects, Text("kernel-release"), Text("bpftool-version"));
    }

    private static KernelObject Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var programs = new List<KernelProgram>();
        foreach (var p in root.GetProperty("programs").EnumerateArray())
        {
            programs.Add(new KernelProgram
            {
                Name = p.GetProperty("name").GetString()!,
                Section = p.GetProperty("section").GetString()!,
                RetargetedTo = p.TryGetProperty("retargetedTo", out var r) ? r.GetString() : null,
                Loaded = p.GetProperty("loaded").GetBoolean(),
                Errno = p.GetProperty("errno").GetInt32(),
                Log = p.GetProperty("log").GetString()!,
                Libbpf = p.GetProperty("libbpf").GetString()!,
                Xlated = p.TryGetProperty("xlated", out var x) ? Convert.FromHexString(x.GetString()!) : [],
                Run = p.TryGetProperty("run", out var run) ? ParseRun(run) : null,
            });
        }

        return new KernelObject(
            root.GetProperty("object").GetString()!,
            root.TryGetProperty("openErrno", out var e) ? e.GetInt32() : 0,
            root.TryGetProperty("libbpf", out var l) ? l.GetString()! : string.Empty,
            programs);
    }

    private static KernelRun ParseRun(JsonElement run)
    {
        var runs = new List<KernelTestRun>();
        if (run.TryGetProperty("runs", out var rs))
        {
            runs.AddRange(rs.EnumerateArray().Select(r => new KernelTestRun(r.GetProperty("errno").GetInt32(), r.GetProperty("retval").GetUInt32())));
        }

        var globals = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (run.TryGetProperty("globals", out var gs))
        {
            foreach (var g in gs.EnumerateArray())
            {
                globals[g.GetProperty("name").GetString()!] = Convert.FromHexString(g.GetProperty("value").GetString()!);
            }
        }

        return new KernelRun { Attached = run.TryGetProperty("attached", out var a) && a.GetBoolean(), Runs = runs, Globals = globals };
    }
}
