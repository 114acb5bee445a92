// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.IO;
using BpfFixup.Model;
using BpfFixup.Rendering.Json;
using BpfFixup.Rendering.Sarif;
using BpfFixup.Text;

namespace BpfFixup.Rendering;

/// <summary>Renders analysis results for <c>bpffixup check</c>: text, JSON, or SARIF 2.1.0.</summary>
public static class CheckReport
{
    /// <summary>Text: diagnostics first (<see cref="DiagnosticText"/>: the gcc-form line, source line and caret, hint), then each program with its call sites and verdicts.</summary>
    public static string Text(IEnumerable<AnalysisResult> results, string abi)
    {
        using var text = new StringWriter();
        WriteText(text, results, abi);
        return text.ToString();
    }

    /// <summary>Writes the text report of <paramref name="results"/> (see <see cref="Text"/>) line by line to <paramref name="output"/>.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="results">The analyses, in input order.</param>
    /// <param name="abi">The ABI name printed in each summary line.</param>
    public static void WriteText(TextWriter output, IEnumerable<AnalysisResult> results, string abi) => WriteText(output, results, abi, diagnosticsOnly: false);

    /// <summary>
    /// Writes the text report; with <paramref name="diagnosticsOnly"/> (<c>check --quiet</c>) only the diagnostic
    /// lines, without the per-object summary (<c>ok</c>/<c>REJECTED</c>) and per-program lines.
    /// </summary>
    public static void WriteText(TextWriter output, IEnumerable<AnalysisResult> results, string abi, bool diagnosticsOnly)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sb = new StringBuilder();
        var r1Texts = new R1Texts();
        foreach (var r in results)
        {
            AppendObject(output, sb, r, abi, diagnosticsOnly, r1Texts);

            // Out before the next object is asked for: a caller that checks each object as it is asked for drops it then.
            BufferedText.Flush(output, sb);
        }
    }

    /// <summary>One object's part of <see cref="WriteText(TextWriter, IEnumerable{AnalysisResult}, string, bool)"/>, written out every <see cref="BufferedText.Threshold"/> characters.</summary>
    private static void AppendObject(TextWriter output, StringBuilder sb, AnalysisResult r, string abi, bool diagnosticsOnly, R1Texts r1Texts)
    {
        foreach (var d in r.Diagnostics.Where(d => d.Severity != Severity.Note || d.Id != DiagnosticIds.BackEdge))
        {
            DiagnosticText.Append(sb, d);
            BufferedText.FlushIfFull(output, sb);
        }

        if (diagnosticsOnly)
        {
            return;
        }

        // Names come from the file: each line is escaped (Printable) so that none can forge another.
        var obj = r.Object;
        int sites = obj.SessionCallSites.Count;
        int start = sb.Length;
        sb.Append(obj.FileName).Append(": ").Append(obj.Programs.Count).Append(" program(s), ").Append(sites)
          .Append(" session call site(s), ABI ").Append(abi).Append(", ")
          .Append(r.HasErrors ? "REJECTED" : "ok");
        Printable.EscapeTail(sb, start).Append('\n');
        var listed = new ListedRuns(r.Object);
        var lines = new VerdictLines(r1Texts);
        foreach (var p in r.Programs)
        {
            start = sb.Length;
            sb.Append("  ").Append(p.Program.Section.Name).Append(' ').Append(p.Program.Name)
              .Append(" [").Append(p.Definition is null ? "unknown" : TypeNames.Of(p.Definition.ProgramType)).Append('/').Append(p.AttachTypeName)
              .Append(p.Definition?.Sleepable == true ? ", sleepable" : string.Empty)
              .Append(p.UsesCookie ? ", call_session_cookie" : string.Empty).Append(']');
            Printable.EscapeTail(sb, start).Append('\n');
            foreach (var run in listed.Runs(p))
            {
                if (run.ListedFor is { } earlier)
                {
                    var f = p.Sites[run.Start].Site.Function;
                    start = sb.Length;
                    sb.Append("    ").Append(run.End - run.Start).Append(" call site(s) in ").Append(f.Section.Name).Append('/').Append(f.Name)
                      .Append(" as listed for program ").Append(earlier);
                    Printable.EscapeTail(sb, start).Append('\n');
                    continue;
                }

                for (int i = run.Start; i < run.End; i++)
                {
                    var v = p.Sites[i];
                    sb.Append(lines.PrefixOf(v.Site)).Append(v.Site.Slot).Append(' ').Append(SessionKfuncs.NameOf(v.Site.Kfunc)).Append(": ")
                      .Append(lines.OutcomeOf(v)).Append('\n');
                    BufferedText.FlushIfFull(output, sb);
                }
            }
        }

        var slots = r.CookieSlotsByTarget;
        if (slots.Count > 0)
        {
            start = sb.Length;
            sb.Append("  cookie slots per trampoline: ").AppendJoin(", ", slots.Select(kv => $"{kv.Key} {kv.Value}"));
            Printable.EscapeTail(sb, start).Append('\n');
        }
    }

    /// <summary>
    /// The text of each register value (<see cref="RegValue.ToString"/>), made once per distinct value: a report
    /// names a few values at many thousands of call sites.
    /// </summary>
    private sealed class R1Texts
    {
        private readonly Dictionary<RegValue, string> texts = [];

        public string Of(RegValue value)
        {
            if (!texts.TryGetValue(value, out var text))
            {
                texts[value] = text = value.ToString();
            }

            return text;
        }
    }

    /// <summary>
    /// The escaped parts of a call site's line in the text report (<c>    section/function+slot kfunc: action (R1=r1): reason</c>):
    /// the part before the slot, the same for every site of a function, and the part after the kfunc, the same for a
    /// run of sites with one outcome, each made once for as long as the sites keep them (the lines of 330k verdicts
    /// were each built and escaped in full). Escaping the parts is escaping the line: each part starts and ends
    /// next to printable ASCII (a space, <c>+</c>, the slot's digits, the kfunc's name), so no surrogate pair is
    /// split, and <see cref="Printable"/> rewrites every other character on its own.
    /// </summary>
    private sealed class VerdictLines(R1Texts r1Texts)
    {
        private BpfFunction? function;
        private string prefix = string.Empty;
        private bool hasOutcome;
        private SiteAction action;
        private RegValue r1;
        private string? reason;
        private string outcome = string.Empty;

        /// <summary><c>    section/function+</c> of <paramref name="site"/>, escaped.</summary>
        public string PrefixOf(SessionCallSite site)
        {
            // The functions of a section cover its instructions in order (CodeSection.FunctionAt): the last function
            // holds the site when the site is in its range, with no search.
            if (function is not { } f || !Holds(f, site))
            {
                function = f = site.Function;
                prefix = Printable.Escape("    " + site.Section.Name + "/" + f.Name + "+");
            }

            return prefix;
        }

        /// <summary><c>action (R1=r1): reason</c> of <paramref name="v"/>, escaped.</summary>
        public string OutcomeOf(in CallSiteVerdict v)
        {
            if (!hasOutcome || v.Action != action || !ReferenceEquals(v.Reason, reason) || !v.R1.Equals(r1))
            {
                hasOutcome = true;
                (action, r1, reason) = (v.Action, v.R1, v.Reason);
                outcome = Printable.Escape(ActionName(v.Action) + " (R1=" + r1Texts.Of(v.R1) + "): " + v.Reason);
            }

            return outcome;
        }
    }

    /// <summary>
    /// A program's verdicts cut into runs, one per function (the sites are in section order, then instruction), each
    /// with the earlier program that listed the same run (the same sites with the same action, R1 and reason) when it
    /// is to be one line instead: every verdict is listed in full until the object's listing holds
    /// <see cref="Multiple"/> times as many verdicts as the object has call sites, plus <see cref="Allowance"/>; after
    /// that, a run an earlier program listed is one line (issue 8: a subprogram that many programs call made the
    /// listing programs x sites, 1.25M lines from 0.5 MB; a limit, as clang's -ferror-limit, keeps every ordinary
    /// report as it was). Up to <see cref="Kept"/> different listings of each function are kept to compare with.
    /// </summary>
    private sealed class ListedRuns(BpfObject obj)
    {
        /// <summary>Verdicts listed in full per call site of the object before repeated runs become one line.</summary>
        public const int Multiple = 4;

        /// <summary>Verdicts listed in full beyond <see cref="Multiple"/> per call site.</summary>
        public const int Allowance = 4096;

        private const int Kept = 4;
        private readonly Dictionary<BpfFunction, List<(ProgramReport Program, int Start, int End)>> listed = [];
        private readonly long budget = ((long)Multiple * obj.SessionCallSites.Count) + Allowance;
        private long written;

        /// <summary>The runs of <paramref name="p"/>'s verdicts, [Start, End) in its <see cref="ProgramReport.Sites"/>, and the program each repeats (null: listed here).</summary>
        public IEnumerable<(int Start, int End, string? ListedFor)> Runs(ProgramReport p)
        {
            var sites = p.Sites;
            for (int start = 0, end; start < sites.Count; start = end)
            {
                var f = SiteOf(sites, start).Function;
                for (end = start + 1; end < sites.Count && Holds(f, SiteOf(sites, end)); end++)
                {
                }

                if (!listed.TryGetValue(f, out var runs))
                {
                    listed[f] = runs = [];
                }

                string? listedFor = written >= budget ? ListedFor(runs, sites, start, end) : null;
                if (listedFor is null)
                {
                    written += end - start;
                    if (runs.Count < Kept)
                    {
                        runs.Add((p, start, end));
                    }
                }

                yield return (start, end, listedFor);
            }
        }

        /// <summary>The program of the first of <paramref name="runs"/> that lists <paramref name="sites"/>[<paramref name="start"/>, <paramref name="end"/>) the same way, or null.</summary>
        private static string? ListedFor(List<(ProgramReport Program, int Start, int End)> runs, IReadOnlyList<CallSiteVerdict> sites, int start, int end)
        {
            foreach (var (earlier, from, to) in runs)
            {
                if (Same(earlier.Sites, from, to, sites, start, end))
                {
                    return earlier.Program.Name;
                }
            }

            return null;
        }

        /// <summary><c>sites[index].Site</c>, without making the verdict when they are an analysis's.</summary>
        private static SessionCallSite SiteOf(IReadOnlyList<CallSiteVerdict> sites, int index) =>
            sites is CallSiteVerdicts v ? v.SiteAt(index) : sites[index].Site;

        private static bool Same(IReadOnlyList<CallSiteVerdict> a, int aFrom, int aTo, IReadOnlyList<CallSiteVerdict> b, int bFrom, int bTo)
        {
            if (aTo - aFrom != bTo - bFrom)
            {
                return false;
            }

            if (a is CallSiteVerdicts va && b is CallSiteVerdicts vb)
            {
                return va.SameAs(aFrom, vb, bFrom, aTo - aFrom);
            }

            for (int i = 0; i < aTo - aFrom; i++)
            {
                if (!a[aFrom + i].SameOutcomeAs(b[bFrom + i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// True when <paramref name="site"/> is in <paramref name="f"/>: <c>site.Function == f</c> without the search, as
    /// a section's functions cover its instructions in order, each up to the next one's start (ObjectLoader).
    /// </summary>
    private static bool Holds(BpfFunction f, SessionCallSite site) =>
        ReferenceEquals(f.Section, site.Section) && site.Insn >= f.StartInsn && site.Insn < f.EndInsn;

    /// <summary>The action's name in reports.</summary>
    public static string ActionName(SiteAction a) => a switch
    {
        SiteAction.Inline => "inline",
        SiteAction.Keep => "keep",
        _ => "reject",
    };

    /// <summary>The JSON model of one diagnostic.</summary>
    public static CheckDiagnostic Model(Diagnostic d) => new(
        d.Id,
        SeverityNames.Of(d.Severity),
        d.Message,
        d.Section,
        d.Function,
        d.Program,
        d.Index,
        d.Source is { } s ? new SourcePosition(s.File, s.Line, s.Column, s.Text) : null);

    /// <summary>The JSON document for several objects.</summary>
    public static string Json(IEnumerable<AnalysisResult> results, string abi)
    {
        using var text = new StringWriter();
        WriteJson(text, results, abi);
        return text.ToString();
    }

    /// <summary>
    /// Writes the <see cref="CheckDocument"/> of <paramref name="results"/> (the bytes <see cref="CheckJsonContext"/>
    /// gave it) one object at a time, each straight from its analysis to the writer: no model of an object, no
    /// string per call site, no document string (issue 8's memory bound).
    /// </summary>
    /// <param name="output">Where the JSON goes.</param>
    /// <param name="results">The analyses, in input order.</param>
    /// <param name="abi">The ABI name recorded per object.</param>
    public static void WriteJson(TextWriter output, IEnumerable<AnalysisResult> results, string abi) =>
        JsonOutput.Write(output, writer =>
        {
            var r1Texts = new R1Texts();
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", JsonDocuments.SchemaVersion);
            writer.WriteStartArray("objects");
            foreach (var r in results)
            {
                WriteObject(writer, r, abi, r1Texts);
                writer.Flush();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>One <see cref="CheckObject"/>, property by property in its declared order (as its serialisation wrote it).</summary>
    private static void WriteObject(Utf8JsonWriter writer, AnalysisResult r, string abi, R1Texts r1Texts)
    {
        writer.WriteStartObject();
        writer.WriteString("file", r.Object.FileName);
        writer.WriteString("byteOrder", r.Object.ByteOrder == ByteOrder.Big ? "big" : "little");
        writer.WriteString("abi", abi);
        writer.WriteStartArray("programs");
        var listed = new ListedRuns(r.Object);
        foreach (var p in r.Programs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", p.Program.Name);
            writer.WriteString("section", p.Program.Section.Name);
            JsonFields.WriteStringOrNull(writer, "programType", p.Definition is null ? null : TypeNames.Of(p.Definition.ProgramType));
            writer.WriteString("attachType", p.AttachTypeName);
            writer.WriteBoolean("sleepable", p.Definition?.Sleepable == true);
            writer.WriteBoolean("usesCookie", p.UsesCookie);
            writer.WriteStartArray("subprograms");
            for (int i = 1; i < p.Reachable.Count; i++)
            {
                writer.WriteStringValue(p.Reachable[i].Name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("callSites");
            List<(int Start, int End, string ListedFor)>? repeated = null;
            foreach (var run in listed.Runs(p))
            {
                if (run.ListedFor is { } earlier)
                {
                    (repeated ??= []).Add((run.Start, run.End, earlier));
                    continue;
                }

                for (int i = run.Start; i < run.End; i++)
                {
                    var v = p.Sites[i];
                    writer.WriteStartObject();
                    writer.WriteString("section", v.Site.Section.Name);
                    writer.WriteString("function", v.Site.Function.Name);
                    writer.WriteNumber("index", v.Site.Slot);
                    writer.WriteString("kfunc", SessionKfuncs.NameOf(v.Site.Kfunc));
                    writer.WriteString("action", ActionName(v.Action));
                    writer.WriteString("r1", r1Texts.Of(v.R1));
                    writer.WriteString("reason", v.Reason);
                    writer.WriteEndObject();
                    JsonOutput.FlushIfFull(writer);
                }
            }

            writer.WriteEndArray();
            if (repeated is not null)
            {
                writer.WriteStartArray("repeatedCallSites");
                foreach (var (from, to, earlier) in repeated)
                {
                    var f = p.Sites[from].Site.Function;
                    writer.WriteStartObject();
                    writer.WriteString("section", f.Section.Name);
                    writer.WriteString("function", f.Name);
                    writer.WriteNumber("count", to - from);
                    writer.WriteString("listedFor", earlier);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("cookieSlotsByTarget");
        foreach (var (target, count) in r.CookieSlotsByTarget)
        {
            writer.WriteNumber(target, count);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("diagnostics");
        foreach (var d in r.Diagnostics)
        {
            WriteDiagnostic(writer, d);
            JsonOutput.FlushIfFull(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>One <see cref="CheckDiagnostic"/> (see <see cref="Model(Diagnostic)"/>), property by property.</summary>
    private static void WriteDiagnostic(Utf8JsonWriter writer, Diagnostic d)
    {
        writer.WriteStartObject();
        writer.WriteString("id", d.Id);
        writer.WriteString("severity", SeverityNames.Of(d.Severity));
        writer.WriteString("message", d.Message);
        JsonFields.WriteStringOrNull(writer, "section", d.Section);
        JsonFields.WriteStringOrNull(writer, "function", d.Function);
        JsonFields.WriteStringOrNull(writer, "program", d.Program);
        if (d.Index is int index)
        {
            writer.WriteNumber("index", index);
        }
        else
        {
            writer.WriteNull("index");
        }

        JsonFields.WriteSource(writer, d.Source);

        writer.WriteEndObject();
    }

    /// <summary>The SARIF 2.1.0 log of <paramref name="results"/> as a string (see <see cref="SarifReport.Write"/>).</summary>
    /// <param name="results">The analyses, in input order.</param>
    /// <param name="version">The tool's semantic version.</param>
    /// <returns>The log, LF-terminated.</returns>
    public static string Sarif(IEnumerable<AnalysisResult> results, string version) =>
        SarifReport.Text(results, new SarifOptions { Version = version });

    /// <summary>Writes the SARIF 2.1.0 log of <paramref name="results"/> (see <see cref="SarifReport.Write"/>).</summary>
    /// <param name="output">Where the log goes.</param>
    /// <param name="results">The analyses, in input order.</param>
    /// <param name="options">Version, source root and the inputs that failed.</param>
    public static void WriteSarif(TextWriter output, IEnumerable<AnalysisResult> results, SarifOptions options) =>
        SarifReport.Write(output, results, options);
}
