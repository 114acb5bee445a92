// SPDX-License-Identifier: MIT
using BpfFixup.Diagnostics;

namespace BpfFixup.IO;

/// <summary>
/// Judges the first bytes <paramref name="head"/> of an input of <paramref name="length"/> bytes before the rest is
/// read; false, after adding one error to <paramref name="diagnostics"/>, when the file is not what is read.
/// </summary>
/// <param name="head">The first bytes.</param>
/// <param name="length">The file's length.</param>
/// <param name="diagnostics">Where the error goes.</param>
public delegate bool InputHeadCheck(ReadOnlySpan<byte> head, long length, DiagnosticBag diagnostics);
