// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Analysis;

/// <summary>The verdict on one call site for one program that reaches it (a value: a report holds one per site and program, issue 8's memory bound).</summary>
/// <param name="Site">The call site.</param>
/// <param name="Program">The program (entry function) being verified.</param>
/// <param name="Action">Inline, keep or reject.</param>
/// <param name="R1">What R1 held at the call.</param>
/// <param name="Reason">The kernel's message when rejected; otherwise a short explanation.</param>
public readonly record struct CallSiteVerdict(SessionCallSite Site, BpfFunction Program, SiteAction Action, RegValue R1, string Reason)
{
    /// <summary>The same site with the same action, R1 and reason, whatever the program (how two programs' reports compare).</summary>
    internal bool SameOutcomeAs(in CallSiteVerdict other) =>
        Site == other.Site && Action == other.Action && R1 == other.R1 && Reason == other.Reason;
}
