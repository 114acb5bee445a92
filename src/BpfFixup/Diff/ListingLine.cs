// SPDX-License-Identifier: MIT
namespace BpfFixup.Diff;

/// <summary>
/// One line of a program listing: <paramref name="Text"/> is what gets printed, <paramref name="Compare"/>
/// is what the differ compares. Render jump and call targets as labels in <c>Compare</c> so that one
/// inserted instruction does not change every later line; <c>Text</c> may keep absolute indices.
/// </summary>
/// <param name="Text">The printed form.</param>
/// <param name="Compare">The comparison key.</param>
public sealed record ListingLine(string Text, string Compare)
{
    /// <summary>A line whose printed form is also its comparison key.</summary>
    /// <param name="text">The line.</param>
    public ListingLine(string text)
        : this(text, text)
    {
    }
}
