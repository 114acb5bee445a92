// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;
using BpfFixup.Text;

namespace BpfFixup.IO;

/// <summary>
/// Every file a command will write, checked before the first byte is written. An output is refused when
/// <list type="bullet">
/// <item>it exists and is not a regular file (a device, FIFO, directory or socket; a symlink counts as its target),</item>
/// <item>it is the same file as an input (same device and inode, after following symlinks; hard links included),
/// unless it is that input's own <c>--in-place</c> output,</item>
/// <item>it is the same file as another output (for files that do not exist yet: the same name in the same directory),</item>
/// <item>it is the file stdout or stderr already writes to (<c>/dev/stdout</c>, <c>--report r.json &gt; r.json</c>),</item>
/// <item>it is a second output on stdout (<c>-</c>, where allowed).</item>
/// </list>
/// Each refusal is one error naming the paths as given. <see cref="WritePath"/> is where the bytes go: the final
/// target of a symlink (so <c>--in-place</c> on a link patches the file it points to and keeps the link).
/// </summary>
public sealed class OutputPlan
{
    /// <summary>The path that means stdout.</summary>
    public const string StandardOutput = "-";

    private static readonly (int Fd, string Name)[] StandardStreams = [(1, "the standard output"), (2, "the standard error")];

    private readonly List<string> inputs = [];
    private readonly List<Planned> outputs = [];

    /// <summary>The outputs, in the order added.</summary>
    public int Count => outputs.Count;

    /// <summary>Adds an input the outputs must not overwrite.</summary>
    public void AddInput(string path) => inputs.Add(path);

    /// <summary>Adds an output; returns its index.</summary>
    /// <param name="path">The path as given.</param>
    /// <param name="role">How the command line named it, for messages (<c>--report</c>, <c>--out-dir</c>).</param>
    /// <param name="allowStdout">Whether <c>-</c> means stdout here.</param>
    /// <param name="inPlaceOf">The input this output replaces (<c>--in-place</c>), or null.</param>
    public int AddOutput(string path, string role, bool allowStdout = false, string? inPlaceOf = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        outputs.Add(new Planned(path, role, allowStdout, inPlaceOf));
        return outputs.Count - 1;
    }

    /// <summary>Whether output <paramref name="index"/> goes to stdout.</summary>
    public bool IsStandardOutput(int index) => outputs[index].AllowStdout && outputs[index].Path == StandardOutput;

    /// <summary>Whether any output goes to stdout.</summary>
    public bool UsesStandardOutput => outputs.Exists(o => o.AllowStdout && o.Path == StandardOutput);

    /// <summary>Where output <paramref name="index"/> is written (valid after <see cref="Check"/> returned no error).</summary>
    public string WritePath(int index) => outputs[index].Target ?? outputs[index].Path;

    /// <summary>Checks every output; the first refusal, or null when all may be written.</summary>
    public Diagnostic? Check()
    {
        var inputStatus = new List<(string Path, FileStatus Status)>(inputs.Count);
        foreach (var input in inputs)
        {
            if (TryStatus(input, out var status) is { } error)
            {
                return error;
            }

            inputStatus.Add((input, status));
        }

        var seen = new Dictionary<string, Planned>(StringComparer.Ordinal);
        Planned? onStdout = null;
        foreach (var o in outputs)
        {
            if (o.Path.Length == 0)
            {
                return Refuse(o.Path, o.Role + ": the empty path is not a file name");
            }

            if (o.Path == StandardOutput && o.AllowStdout)
            {
                if (onStdout is not null)
                {
                    return Refuse(o.Path, $"{onStdout.Role} and {o.Role} cannot both write to stdout");
                }

                onStdout = o;
                continue;
            }

            if (TryStatus(o.Path, out var status) is { } error)
            {
                return error;
            }

            if (status.Kind is not (FileKind.Regular or FileKind.Missing))
            {
                return Refuse(o.Path, $"refusing to write {o.Role}: not a regular file ({Describe(status.Kind)})");
            }

            // `--report out.json > out.json`, or /dev/stdout: replacing the file would drop what stdout already holds.
            foreach (var (fd, name) in StandardStreams)
            {
                if (FileStatus.OfDescriptor(fd) is { } stream && status.SameFileAs(stream))
                {
                    return Refuse(o.Path, $"refusing to write {o.Role}: it is {name}" + (o.AllowStdout ? "; use - for stdout" : string.Empty));
                }
            }

            foreach (var (input, inputStat) in inputStatus)
            {
                if (status.SameFileAs(inputStat) && !(o.InPlaceOf is { } own && own == input))
                {
                    return Refuse(o.Path, $"refusing to write {o.Role}: it is the input {Printable.Escape(input)}");
                }
            }

            try
            {
                o.Target = FinalTarget(o.Path);
                string key = IdentityKey(o.Target, status);
                if (seen.TryGetValue(key, out var earlier))
                {
                    return Refuse(o.Path, earlier.Path == o.Path
                        ? $"refusing to write {o.Role}: two outputs on one path (also {earlier.Role})"
                        : $"refusing to write {o.Role}: the same file as {earlier.Role} {Printable.Escape(earlier.Path)}");
                }

                seen[key] = o;
            }
            catch (Exception e) when (IoErrors.IsFileSystemError(e))
            {
                return Refuse(o.Path, "cannot write: " + IoErrors.Describe(e, o.Path));
            }
        }

        return null;
    }

    /// <summary>The final target of <paramref name="path"/> when it is a symlink (even a dangling one), else the path itself.</summary>
    public static string FinalTarget(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return path;
        }

        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }

    /// <summary>Words for a file type in messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO",
        FileKind.Socket => "a socket",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Regular => "a regular file",
        FileKind.Missing => "missing",
        _ => "not a file",
    };

    private static string IdentityKey(string target, FileStatus status)
    {
        if (status.Kind != FileKind.Missing)
        {
            return status.ResolvedPath ?? $"{status.Device}:{status.Inode}";
        }

        // Not there yet: the same name in the same directory is the same file.
        string full = Path.GetFullPath(target);
        string dir = Path.GetDirectoryName(full) ?? full;
        var dirStatus = Directory.Exists(dir) ? FileStatus.Of(dir, followLinks: true) : default;
        return dirStatus.Kind == FileKind.Directory && dirStatus.ResolvedPath is null
            ? $"{dirStatus.Device}:{dirStatus.Inode}/{Path.GetFileName(full)}"
            : full;
    }

    private static Diagnostic? TryStatus(string path, out FileStatus status)
    {
        try
        {
            status = FileStatus.Of(path, followLinks: true);
            return null;
        }
        catch (Exception e) when (IoErrors.IsFileSystemError(e))
        {
            status = default;
            return Refuse(path, "cannot examine: " + IoErrors.Describe(e, path));
        }
    }

    private static Diagnostic Refuse(string path, string message) => new()
    {
        Id = DiagnosticIds.IoError,
        Severity = Severity.Error,
        Message = message,
        File = path.Length == 0 ? null : path,
    };

    private sealed class Planned(string path, string role, bool allowStdout, string? inPlaceOf)
    {
        public string Path { get; } = path;

        public string Role { get; } = role;

        public bool AllowStdout { get; } = allowStdout;

        public string? InPlaceOf { get; } = inPlaceOf;

        public string? Target { get; set; }
    }
}
