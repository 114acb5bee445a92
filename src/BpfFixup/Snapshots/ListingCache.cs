// SPDX-License-Identifier: MIT
namespace BpfFixup.Snapshots;

/// <summary>
/// What review listings of related objects share when they are rendered for one comparison (the object before and
/// after the fixup, or two builds of it): each distinct line once, and each stable label's digest once. Listings
/// rendered with one cache are the listings rendered without it; only the work differs.
/// </summary>
public sealed class ListingCache
{
    internal ListingLineCache Lines { get; } = new();

    /// <summary>The <c>.L</c> digest (before any <c>_n</c>) of a label by function name, source line and (when needed) code.</summary>
    internal LabelDigestCache Labels { get; } = new();
}
