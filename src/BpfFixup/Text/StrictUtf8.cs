// SPDX-License-Identifier: MIT
using System.Text;

namespace BpfFixup.Text;

/// <summary>
/// UTF-8 without a byte order mark that throws (<see cref="EncoderFallbackException"/>) on what UTF-8 cannot encode, a
/// lone surrogate (RFC 3629 section 3: U+D800..U+DFFF are not encoded), instead of writing U+FFFD for it: what the
/// project writes or compares as a file's bytes is never silently changed.
/// </summary>
internal static class StrictUtf8
{
    /// <summary>The encoding.</summary>
    public static readonly UTF8Encoding Encoding = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
