// SPDX-License-Identifier: MIT
using BpfFixup.Rendering.Sarif;

namespace BpfFixup.Tests.Rendering.Sarif;

public sealed class ArtifactUrisTests
{
    [Theory]
    [InlineData("src/x.bpf.c", "src/x.bpf.c")]
    [InlineData("a b#c?d%e.c", "a%20b%23c%3Fd%25e.c")]
    [InlineData("dir:x/\u00e9\U0001F600.c", "dir%3Ax/%C3%A9%F0%9F%98%80.c")]
    [InlineData("a\\b[1]{2}<>\"|^`.c", "a%5Cb%5B1%5D%7B2%7D%3C%3E%22%7C%5E%60.c")]
    [InlineData("k+v,w;x=y@z!$&'()*~-_.c", "k+v,w;x=y@z!$&'()*~-_.c")]
    public void Paths_are_percent_encoded(string path, string expected) => Assert.Equal(expected, ArtifactUris.Encode(path));

    [Fact]
    public void Without_a_root_relative_paths_stay_as_given_and_absolute_ones_become_file_uris()
    {
        var uris = new ArtifactUris(null);
        Assert.Equal(new("src/x.bpf.c"), uris.Locate("./src/x.bpf.c"));
        Assert.Equal(new("../up/x.c"), uris.Locate("../up/x.c"));
        Assert.Equal(new("file:///home/u/my%20proj/x.c"), uris.Locate("/home/u/my proj/x.c"));
        Assert.Null(uris.BaseIds);
    }

    [Fact]
    public void With_a_root_paths_inside_it_are_relative_to_srcroot()
    {
        var uris = new ArtifactUris("/home/u/proj/");
        Assert.Equal(new("src/x.bpf.c", "SRCROOT"), uris.Locate("/home/u/proj/src/x.bpf.c"));
        Assert.Equal(new("src/x.bpf.c", "SRCROOT"), uris.Locate("./src/x.bpf.c"));
        Assert.Equal(new("src/x.bpf.c", "SRCROOT"), uris.Locate("lib/../src/x.bpf.c"));
        var root = Assert.Single(uris.BaseIds!);
        Assert.Equal("SRCROOT", root.Key);
        Assert.Equal("file:///home/u/proj/", root.Value.Uri);
    }

    [Fact]
    public void Paths_outside_the_root_are_never_cut_to_relative_ones()
    {
        var uris = new ArtifactUris("/home/u/proj");
        Assert.Equal(new("file:///usr/include/bpf/bpf_helpers.h"), uris.Locate("/usr/include/bpf/bpf_helpers.h"));
        Assert.Equal(new("file:///home/u/proj2/x.c"), uris.Locate("/home/u/proj2/x.c"));
        Assert.Equal(new("file:///home/u/other.c"), uris.Locate("../other.c"));
    }

    [Fact]
    public void A_relative_root_is_made_absolute()
    {
        var uris = new ArtifactUris(".");
        string cwd = Directory.GetCurrentDirectory();
        Assert.Equal("file://" + ArtifactUris.Encode(cwd.TrimEnd('/') + "/"), uris.BaseIds!["SRCROOT"].Uri);
        Assert.Equal(new("x.c", "SRCROOT"), uris.Locate(Path.Combine(cwd, "x.c")));
    }
}
