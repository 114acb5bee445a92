// SPDX-License-Identifier: MIT
using BpfFixup.Diff;

namespace BpfFixup.Tests.Diff;

public sealed class DiffColorsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData("always", false, null, null, true)]
    [InlineData("always", true, "1", null, true)] // an explicit option wins over NO_COLOR (no-color.org)
    [InlineData("never", true, null, null, false)]
    [InlineData("auto", true, null, null, true)]
    [InlineData("auto", false, null, null, false)]
    [InlineData("auto", true, "1", null, false)]
    [InlineData("auto", true, "", null, true)] // NO_COLOR counts only when non-empty
    [InlineData("auto", true, null, "dumb", false)]
    [InlineData("auto", true, null, "xterm-256color", true)]
    public void Auto_means_a_terminal_without_NO_COLOR(string when, bool terminal, string? noColor, string? term, bool expected)
    {
        var vars = new List<(string, string)>();
        if (noColor is not null)
        {
            vars.Add(("NO_COLOR", noColor));
        }

        if (term is not null)
        {
            vars.Add(("TERM", term));
        }

        Assert.Equal(expected, DiffColors.Resolve(when, terminal, Env([.. vars])));
    }

    [Fact]
    public void Colours_are_gits_defaults()
    {
        // git diff.c diff_colors[]: GIT_COLOR_BOLD, GIT_COLOR_CYAN, GIT_COLOR_RED, GIT_COLOR_GREEN, GIT_COLOR_RESET.
        Assert.Equal(("\u001b[1m", "\u001b[36m", "\u001b[31m", "\u001b[32m", "\u001b[m"), (DiffColors.Meta, DiffColors.Frag, DiffColors.Old, DiffColors.New, DiffColors.Reset));
    }
}
