// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>What the analysis saw at one session-kfunc call site while verifying one program.</summary>
/// <param name="Site">The call site.</param>
/// <param name="R1">R1 joined over every path and call context reaching the call.</param>
public sealed record SiteObservation(SessionCallSite Site, RegValue R1);
