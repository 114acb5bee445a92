// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Diff;

namespace BpfFixup.Cli.Commands;

/// <summary>git's <c>--color[=auto|always|never]</c>, shared by the commands that print a diff (<c>diff</c>, <c>patch --diff</c>).</summary>
internal static class ColorOption
{
    /// <summary>The option, <c>auto</c> by default.</summary>
    public static Option<string> Create(string description) =>
        new Option<string>("--color") { Description = description, DefaultValueFactory = _ => "auto" }.OneOf([.. DiffColors.Choices]);

    /// <summary>Whether to colour what goes to <paramref name="writer"/>: <c>auto</c> asks whether it is a terminal (<see cref="DiffColors.Resolve"/>).</summary>
    public static bool Resolve(string? when, TextWriter writer) =>
        DiffColors.Resolve(when ?? "auto", ProgressReporter.IsTerminal(writer), Environment.GetEnvironmentVariable);
}
