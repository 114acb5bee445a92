// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;
using BpfFixup.Text;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.IO;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rendering.Json;

namespace BpfFixup.Rendering;

/// <summary>Renders analysis results for <c>bpffixup check</c>: text, JSON, or SARIF 2.1.0.</summary>
public static class CheckReport
{
    private static readonly CheckJsonContext Context = new(ReadableJson.From(CheckJsonContext.Default.Options));

    /// <summary>Text: diagnostics first (one line each), then each program with its call sites and verdicts.</summary>
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
        foreach (var r in results)
        {
            foreach (var d in r.Diagnostics.Where(d => d.Severity != Severity.Note || d.Id != DiagnosticIds.BackEdge))
            {
                sb.Append(d.ToString()).Append('\n');
                FlushIfFull(output, sb);
            }

            if (diagnosticsOnly)
            {
                continue;
            }

            // Names come from the file: each line is escaped (Printable) so that none can forge another.
            var obj = r.Object;
            int sites = obj.SessionCallSites.Count;
            int start = sb.Length;
            sb.Append(obj.FileName).Append(": ").Append(r.Programs.Count).Append(" program(s), ").Append(sites)
              .Append(" session call site(s), ABI ").Append(abi).Append(", ")
              .Append(r.HasErrors ? "REJECTED" : "ok");
            Printable.EscapeTail(sb, start).Append('\n');
            foreach (var p in r.Programs)
            {
                start = sb.Length;
                sb.Append("  ").Append(p.Program.Section.Name).Append(' ').Append(p.Program.Name)
                  .Append(" [").Append(p.Definition is null ? "unknown" : TypeNames.Of(p.Definition.ProgramType)).Append('/').Append(p.AttachTypeName)
                  .Append(p.Definition?.Sleepable == true ? ", sleepable" : string.Empty)
                  .Append(p.UsesCookie ? ", call_session_cookie" : string.Empty).Append(']');
                Printable.EscapeTail(sb, start).Append('\n');
                foreach (var v in p.Sites)
                {
                    start = sb.Length;
                    sb.Append("    ").Append(v.Site.Section.Name).Append('/').Append(v.Site.Function.Name).Append('+').Append(v.Site.Slot)
                      .Append(' ').Append(SessionKfuncs.NameOf(v.Site.Kfunc)).Append(": ").Append(ActionName(v.Action))
                      .Append(" (R1=").Append(v.R1).Append("): ").Append(v.Reason);
                    Printable.EscapeTail(sb, start).Append('\n');
                    FlushIfFull(output, sb);
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

        output.Write(sb);
    }

    private static void FlushIfFull(TextWriter output, StringBuilder sb)
    {
        if (sb.Length >= JsonOutput.FlushThreshold)
        {
            output.Write(sb);
            sb.Clear();
        }
    }

    /// <summary>The action's name in reports.</summary>
    public static string ActionName(SiteAction a) => a switch
    {
        SiteAction.Inline => "inline",
        SiteAction.Keep => "keep",
        _ => "reject",
    };

    /// <summary>The JSON model of one object's analysis.</summary>
    public static CheckObject Model(AnalysisResult r, string abi) => new(
        r.Object.FileName,
        r.Object.ByteOrder == ByteOrder.Big ? "big" : "little",
        abi,
        r.Programs.Select(p => new CheckProgram(
            p.Program.Name,
            p.Program.Section.Name,
            p.Definition is null ? null : TypeNames.Of(p.Definition.ProgramType),
            p.AttachTypeName,
            p.Definition?.Sleepable == true,
            p.UsesCookie,
            p.Reachable.Skip(1).Select(f => f.Name).ToList(),
            p.Sites.Select(v => new CheckCallSite(v.Site.Section.Name, v.Site.Function.Name, v.Site.Slot, SessionKfuncs.NameOf(v.Site.Kfunc), ActionName(v.Action), v.R1.ToString(), v.Reason)).ToList())).ToList(),
        r.CookieSlotsByTarget,
        r.Diagnostics.Select(Model).ToList());

    /// <summary>The JSON model of one diagnostic.</summary>
    public static CheckDiagnostic Model(Diagnostic d) => new(
        d.Id,
        SeverityName(d.Severity),
        d.Message,
        d.Section,
        d.Function,
        d.Program,
        d.Index,
        d.Source?.File,
        d.Source?.Line,
        d.Source?.Column,
        d.Source?.Text);

    /// <summary>The JSON document for several objects.</summary>
    public static string Json(IEnumerable<AnalysisResult> results, string abi)
    {
        using var text = new StringWriter();
        WriteJson(text, results, abi);
        return text.ToString();
    }

    /// <summary>
    /// Writes the <see cref="CheckDocument"/> of <paramref name="results"/> (the bytes <see cref="CheckJsonContext"/>
    /// gives it) one object at a time: only one object's model is built at once, and no document string.
    /// </summary>
    /// <param name="output">Where the JSON goes.</param>
    /// <param name="results">The analyses, in input order.</param>
    /// <param name="abi">The ABI name recorded per object.</param>
    public static void WriteJson(TextWriter output, IEnumerable<AnalysisResult> results, string abi) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("objects");
            foreach (var r in results)
            {
                JsonSerializer.Serialize(writer, Model(r, abi), Context.CheckObject);
                writer.Flush();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>The SARIF 2.1.0 log of <paramref name="results"/> as a string (see <see cref="WriteSarif"/>).</summary>
    /// <param name="results">The analyses, in input order.</param>
    /// <param name="version">The tool's semantic version.</param>
    /// <returns>The log, LF-terminated.</returns>
    public static string Sarif(IEnumerable<AnalysisResult> results, string version)
    {
        using var text = new StringWriter();
        WriteSarif(text, results, version);
        return text.ToString();
    }

    /// <summary>
    /// Writes the SARIF 2.1.0 log of <paramref name="results"/>: one result per error or warning (notes are left
    /// out), the rules they use first. Streamed one result at a time (<see cref="JsonOutput"/>), so memory stays
    /// that of the analyses whatever the number of findings.
    /// </summary>
    /// <param name="output">Where the log goes.</param>
    /// <param name="results">The analyses, in input order.</param>
    /// <param name="version">The tool's semantic version.</param>
    public static void WriteSarif(TextWriter output, IEnumerable<AnalysisResult> results, string version)
    {
        var analyses = results.ToList();
        var rules = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in analyses.SelectMany(r => r.Diagnostics).Where(d => d.Severity != Severity.Note))
        {
            rules.TryAdd(d.Id, RuleDescription(d.Id));
        }

        var tool = new SarifTool(new SarifDriver("bpffixup", version, rules.Select(kv => new SarifRule(kv.Key, new SarifMessage(kv.Value))).ToList()));

        // Property names and order as CheckJsonContext writes SarifLog and SarifRun.
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            writer.WriteString("version", "2.1.0");
            writer.WriteStartArray("runs");
            writer.WriteStartObject();
            writer.WritePropertyName("tool");
            JsonSerializer.Serialize(writer, tool, Context.SarifTool);
            writer.WriteStartArray("results");
            foreach (var r in analyses)
            {
                foreach (var d in r.Diagnostics.Where(d => d.Severity != Severity.Note))
                {
                    JsonSerializer.Serialize(writer, SarifResultOf(r, d), Context.SarifResult);
                    JsonOutput.FlushIfFull(writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static SarifResult SarifResultOf(AnalysisResult r, Diagnostic d)
    {
        // Code scanning wants a start line on every result: findings without BTF line info point at line 1 of the object.
        var region = d.Source is { Line: > 0 } s ? new SarifRegion(s.Line, s.Column > 0 ? s.Column : null) : new SarifRegion(1, null);
        string uri = d.Source is { } src ? NormaliseSourcePath(src.File) : r.Object.FileName;
        var logical = d.Section is null ? null : new[] { new SarifLogicalLocation(d.Function is null ? d.Section : $"{d.Section}/{d.Function}", "function") };
        var where = d.Section is null ? string.Empty : $"{d.Section}/{d.Function}+{d.Index}: ";
        return new SarifResult(d.Id, SeverityName(d.Severity), new SarifMessage($"{r.Object.FileName}: {where}{d.Message}"),
            [new SarifLocation(new SarifPhysicalLocation(new SarifArtifactLocation(uri), region), logical)]);
    }

    private static string SeverityName(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    /// <summary>BTF keeps the path clang was given (<c>./src/x.bpf.c</c>); SARIF wants a relative URI.</summary>
    private static string NormaliseSourcePath(string file) => file.StartsWith("./", StringComparison.Ordinal) ? file[2..] : file.TrimStart('/');

    private static string RuleDescription(string id) => id switch
    {
        DiagnosticIds.MalformedElf => "Malformed ELF object",
        DiagnosticIds.InvalidInstruction => "Undefined instruction encoding",
        DiagnosticIds.PartialSlot => "Code section size is not a multiple of 8",
        DiagnosticIds.BadRelocation => "Malformed or misplaced relocation",
        DiagnosticIds.BadSymbol => "FUNC symbol outside its section",
        DiagnosticIds.JumpOutOfRange => "Jump out of range",
        DiagnosticIds.JumpIntoLdImm64 => "Jump into the middle of ld_imm64",
        DiagnosticIds.FallThroughEnd => "Last instruction is not an exit or jump",
        DiagnosticIds.Unreachable => "Unreachable instruction",
        DiagnosticIds.FramePointerWrite => "Write to the frame pointer",
        DiagnosticIds.UninitRead => "Read of an uninitialised register",
        DiagnosticIds.KfuncNotAllowed => "Session kfunc called from a program type that may not call it",
        DiagnosticIds.ArgNotCtx => "Session kfunc argument is not the ctx pointer",
        DiagnosticIds.ModifiedCtx => "Session kfunc called with a modified ctx pointer",
        DiagnosticIds.CtxNotInitialised => "Session kfunc called with R1 uninitialised",
        DiagnosticIds.BadCallTarget => "Call to an invalid destination",
        DiagnosticIds.Recursion => "Recursive bpf-to-bpf call",
        DiagnosticIds.JumpRange => "Jump offset no longer fits after patching",
        _ => id,
    };
}
