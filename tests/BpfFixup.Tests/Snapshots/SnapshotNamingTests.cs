// SPDX-License-Identifier: MIT
using BpfFixup.Snapshots;
using CsCheck;

namespace BpfFixup.Tests.Snapshots;

public sealed class SnapshotNamingTests
{
    [Fact]
    public void Plain_names_are_kept()
    {
        Assert.Equal("session_basic-el.probe.verified.txt", SnapshotNaming.VerifiedFileName("samples/obj/session_basic-el.o", "probe"));
        Assert.Equal("x.bpf.handler.verified.txt", SnapshotNaming.VerifiedFileName("x.bpf.o", "handler"));
        Assert.Equal("x.bpf.handler.received.txt", SnapshotNaming.ReceivedFileName("x.bpf.handler.verified.txt"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../../etc/passwd")]
    [InlineData("/abs/path")]
    [InlineData("C:\\win\\path")]
    [InlineData("a\0b")]
    [InlineData("tab\there")]
    [InlineData("with space")]
    [InlineData("ünïcödé")]
    [InlineData(".hidden")]
    [InlineData("CON")]
    [InlineData("nul.txt")]
    public void Hostile_names_become_safe_components(string name)
    {
        foreach (var part in new[] { SnapshotNaming.SanitizeStem(name), SnapshotNaming.SanitizeProgram(name) })
        {
            Assert.True(SnapshotNaming.IsSafeFileName(part), part);
            Assert.DoesNotContain(part, c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'));
            Assert.False(part.StartsWith('.'), part);
            Assert.Matches("-[0-9a-f]{8}$", part); // changed, so hashed
        }

        var file = SnapshotNaming.VerifiedFileName(name, name);
        Assert.True(SnapshotNaming.IsSafeFileName(file));
        Assert.Equal(file, Path.GetFileName(Path.Combine("/snapshots", file)));
    }

    [Fact]
    public void Examples_are_pinned()
    {
        Assert.Equal("_-e3b0c442", SnapshotNaming.SanitizeProgram(string.Empty));
        Assert.Equal("a_b-" + SnapshotNaming.SanitizeProgram("a/b")[^8..], SnapshotNaming.SanitizeProgram("a/b"));
        Assert.StartsWith("_etc_passwd-", SnapshotNaming.SanitizeStem("../../etc/passwd"), StringComparison.Ordinal);
        Assert.StartsWith("a_cold-", SnapshotNaming.SanitizeProgram("a.cold"), StringComparison.Ordinal);
        Assert.Equal("a.cold", SnapshotNaming.SanitizeStem("a.cold"));
    }

    [Fact]
    public void Long_names_are_cut_with_a_hash()
    {
        var a = new string('x', 300);
        var b = new string('x', 299) + "y";
        Assert.Equal(SnapshotNaming.MaxComponentLength, SnapshotNaming.SanitizeProgram(a).Length);
        Assert.NotEqual(SnapshotNaming.SanitizeProgram(a), SnapshotNaming.SanitizeProgram(b));
        Assert.True(SnapshotNaming.IsSafeFileName(SnapshotNaming.VerifiedFileName(a + ".o", b)));
    }

    [Fact]
    public void Sanitising_is_deterministic_and_distinct_names_do_not_meet()
    {
        Gen.String.Select(Gen.String).Sample((x, y) =>
        {
            Assert.Equal(SnapshotNaming.SanitizeProgram(x), SnapshotNaming.SanitizeProgram(x));
            Assert.True(SnapshotNaming.IsSafeFileName(SnapshotNaming.VerifiedFileName(x, y)));
            if (x != y)
            {
                Assert.NotEqual(SnapshotNaming.SanitizeProgram(x), SnapshotNaming.SanitizeProgram(y));
            }
        }, iter: 2000);
    }

    [Fact]
    public void File_names_parse_back_to_their_stem()
    {
        Gen.String.Select(Gen.String).Sample((obj, prog) =>
        {
            var file = SnapshotNaming.VerifiedFileName(obj + ".o", prog);
            Assert.True(SnapshotNaming.TryParseVerified(file, out var stem, out var program));
            Assert.Equal(SnapshotNaming.ObjectStem(obj + ".o"), stem);
            Assert.Equal(SnapshotNaming.SanitizeProgram(prog), program);
        }, iter: 2000);
    }

    [Fact]
    public void Collisions_are_reported_including_case_only_differences()
    {
        var collisions = SnapshotNaming.FindCollisions(
        [
            ("a.o:p", "a.p.verified.txt"),
            ("b.o:q", "b.q.verified.txt"),
            ("A.o:p", "A.p.verified.txt"),
            ("c.o:r", "c.r.verified.txt"),
        ]);
        var collision = Assert.Single(collisions);
        Assert.Equal("a.p.verified.txt", collision.FileName);
        Assert.Equal(["a.o:p", "A.o:p"], collision.Keys);
    }
}
