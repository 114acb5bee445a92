// SPDX-License-Identifier: MIT
using System.Text.Json;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.IO;
using BpfFixup.Rendering.Json;
using BpfFixup.Text;

namespace BpfFixup.Rendering.Sarif;

/// <summary>
/// The SARIF 2.1.0 log of <c>bpffixup check --format sarif</c>, in the shape GitHub code scanning takes as it is
/// (checked by the SARIF multitool's "Sarif;Gh" rules): every rule described (<see cref="DiagnosticCatalog"/>),
/// percent-encoded artifact URIs (<see cref="ArtifactUris"/>), stable partialFingerprints
/// (<see cref="ResultFingerprints"/>), one result for a finding that several objects built from the same source
/// share (the two byte orders), and unreadable inputs as tool execution notifications.
/// </summary>
public static class SarifReport
{
    /// <summary>The schema the log names (OASIS SARIF 2.1.0, errata 01).</summary>
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    private static readonly CheckJsonContext Context = new(ReadableJson.From(CheckJsonContext.Default.Options));

    /// <summary>
    /// Writes the log: one result per distinct error or warning (notes are left out but for <see cref="Reported"/>'s), the rules they use first.
    /// Streamed one result at a time (<see cref="JsonOutput"/>), each written as it is read from its diagnostic. Of
    /// each analysis only its file name and its errors and warnings are kept while the others are read (the rules
    /// come before the results), so that a caller that checks each object as it is asked for (<c>check</c>) holds
    /// one object's model and analysis at a time (issue 8's memory bound).
    /// </summary>
    /// <param name="output">Where the log goes.</param>
    /// <param name="results">The analyses, in input order.</param>
    /// <param name="options">Version, source root and the inputs that failed.</param>
    public static void Write(TextWriter output, IEnumerable<AnalysisResult> results, SarifOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The analysis's own list when every diagnostic in it is reported (no copy of 124k references), else the reported ones.
        var analyses = results.Select(r => new Findings(r.Object.FileName, r.Diagnostics.All(Reported) ? r.Diagnostics : [.. r.Diagnostics.Where(Reported)])).ToList();
        var uris = new ArtifactUris(options.SourceRoot);
        var rules = analyses.SelectMany(r => r.Diagnostics).Select(d => d.Id)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var failureIds = options.InputFailures.Select(d => d.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var tool = new SarifTool(new SarifDriver("bpffixup", options.Version, ProjectLinks.Home,
            rules.Select(Descriptor).ToList(), failureIds.Count == 0 ? null : failureIds.Select(Descriptor).ToList()));
        var invocation = new SarifInvocation(options.InputFailures.Count == 0,
            options.InputFailures.Select(d => Notification(d, failureIds.IndexOf(d.Id), uris)).ToList());

        // The objects behind each finding with a source position (only those can be shared), so that the first one
        // written names them all. One object shares nothing: no table then.
        var sharers = new Dictionary<string, Shared>(StringComparer.Ordinal);
        foreach (var r in analyses.Count > 1 ? analyses : [])
        {
            foreach (var d in r.Diagnostics.Where(d => d.Source is not null))
            {
                string identity = Identity(d, d.Source!, uris);
                if (!sharers.TryGetValue(identity, out var shared))
                {
                    sharers[identity] = shared = new Shared();
                }

                var names = shared.Objects;
                if (names.Count == 0 || names[^1] != r.File)
                {
                    names.Add(r.File);
                }
            }
        }

        var fingerprints = new ResultFingerprints(analyses.Sum(r => r.Diagnostics.Count));
        var text = new CharBuffer();
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUri);
            writer.WriteString("version", "2.1.0");
            writer.WriteStartArray("runs");
            writer.WriteStartObject();
            writer.WritePropertyName("tool");
            JsonSerializer.Serialize(writer, tool, Context.SarifTool);
            writer.WriteStartArray("invocations");
            JsonSerializer.Serialize(writer, invocation, Context.SarifInvocation);
            writer.WriteEndArray();
            if (uris.BaseIds is { } baseIds)
            {
                writer.WritePropertyName("originalUriBaseIds");
                JsonSerializer.Serialize(writer, baseIds, Context.IReadOnlyDictionaryStringSarifArtifactLocation);
            }

            writer.WriteStartArray("results");
            foreach (var r in analyses)
            {
                foreach (var d in r.Diagnostics)
                {
                    string objects = r.File;
                    if (d.Source is { } source && sharers.TryGetValue(Identity(d, source, uris), out var shared))
                    {
                        if (shared.Written)
                        {
                            continue;
                        }

                        shared.Written = true;
                        objects = string.Join(", ", shared.Objects);
                    }

                    WriteResult(writer, d, rules.IndexOf(d.Id), objects, uris.Locate(d.Source?.File ?? r.File), fingerprints, text);
                    JsonOutput.FlushIfFull(writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>The log as a string (see <see cref="Write"/>).</summary>
    public static string Text(IEnumerable<AnalysisResult> results, SarifOptions options)
    {
        using var text = new StringWriter();
        Write(text, results, options);
        return text.ToString();
    }

    /// <summary>The reportingDescriptor of <paramref name="id"/>, from <see cref="DiagnosticCatalog"/>.</summary>
    public static SarifRule Descriptor(string id)
    {
        var rule = DiagnosticCatalog.Of(id);
        return new SarifRule(rule.Id, rule.Name, new SarifMessage(rule.Title), new SarifMessage(rule.Description),
            new SarifMultiformatMessage(rule.HelpText, rule.HelpMarkdown), rule.HelpUri, new SarifConfiguration(DefaultLevel(id)));
    }

    /// <summary>
    /// Errors and warnings; of the notes only <see cref="DiagnosticIds.Repeated"/>'s, which stand for the results a
    /// program shares with an earlier one (<see cref="RepeatedDiagnostics"/>): one result per program and function,
    /// not one per program and finding.
    /// </summary>
    private static bool Reported(Diagnostic d) => d.Severity != Severity.Note || d.Id == DiagnosticIds.Repeated;

    private static string DefaultLevel(string id) => id switch
    {
        DiagnosticIds.BackEdge or DiagnosticIds.CallSite or DiagnosticIds.Repeated or DiagnosticIds.Specialised or DiagnosticIds.DebugDropped => "note",
        DiagnosticIds.DebugStale or DiagnosticIds.AnalysisLimit => "warning",
        _ => "error",
    };

    /// <summary><c>section/function+index: </c> (and the program, where it differs), or nothing.</summary>
    private static string Where(Diagnostic d) => new(AppendWhere(new CharBuffer(), d).Span);

    /// <summary>Appends <see cref="Where"/> of <paramref name="d"/> to <paramref name="text"/>.</summary>
    private static CharBuffer AppendWhere(CharBuffer text, Diagnostic d)
    {
        if (d.Section is null)
        {
            return text;
        }

        text.Append(d.Section);
        if (d.Function is not null)
        {
            text.Append('/').Append(d.Function);
        }

        if (d.Index is int i)
        {
            text.Append('+').Append(i);
        }

        if (d.Program is not null && d.Program != d.Function)
        {
            text.Append(" [program ").Append(d.Program).Append(']');
        }

        return text.Append(": ");
    }

    /// <summary>What makes two objects' findings with a source position one: rule, level, position and the finding's text.</summary>
    private static string Identity(Diagnostic d, SourceLocation s, ArtifactUris uris)
    {
        var at = uris.Locate(s.File);
        return $"{at.UriBaseId}\0{at.Uri}\0{s.Line}\0{s.Column}\0{d.Id}\0{d.Severity}\0{Where(d)}{d.Message}";
    }

    /// <summary>
    /// Writes one result (§3.27), property by property in the order of <see cref="SarifResult"/>, so the bytes are
    /// those its serialisation gave; its texts are put together in <paramref name="text"/>, not as strings.
    /// </summary>
    private static void WriteResult(Utf8JsonWriter writer, Diagnostic d, int ruleIndex, string objects, SarifArtifactLocation artifact, ResultFingerprints fingerprints, CharBuffer text)
    {
        writer.WriteStartObject();
        writer.WriteString("ruleId", d.Id);
        writer.WriteNumber("ruleIndex", ruleIndex);
        writer.WriteString("level", SeverityNames.Of(d.Severity));
        writer.WriteStartObject("message");
        writer.WriteString("text", AppendWhere(text.Clear().Append(objects).Append(": "), d).Append(d.Message).Span);
        writer.WriteEndObject();
        writer.WriteStartArray("locations");
        writer.WriteStartObject();
        writer.WriteStartObject("physicalLocation");
        writer.WriteStartObject("artifactLocation");
        writer.WriteString("uri", artifact.Uri);
        if (artifact.UriBaseId is not null)
        {
            writer.WriteString("uriBaseId", artifact.UriBaseId);
        }

        writer.WriteEndObject();

        // Code scanning wants a start line on every result: findings without BTF line info point at line 1 of the object.
        writer.WriteStartObject("region");
        if (d.Source is { Line: > 0 } s)
        {
            writer.WriteNumber("startLine", s.Line);
            if (s.Column > 0)
            {
                writer.WriteNumber("startColumn", s.Column);
            }

            if (s.Text is { Length: > 0 } snippet)
            {
                writer.WriteStartObject("snippet");
                writer.WriteString("text", snippet);
                writer.WriteEndObject();
            }
        }
        else
        {
            writer.WriteNumber("startLine", 1);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        if (d.Section is not null)
        {
            writer.WriteStartArray("logicalLocations");
            writer.WriteStartObject();
            writer.WriteString("fullyQualifiedName", d.Function is null ? d.Section : text.Clear().Append(d.Section).Append('/').Append(d.Function).Span);
            writer.WriteString("kind", "function");
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("partialFingerprints");
        Span<char> fingerprint = stackalloc char[ResultFingerprints.MaxLength];
        writer.WriteString(ResultFingerprints.Key, fingerprint[..fingerprints.Next(d, fingerprint)]);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static SarifNotification Notification(Diagnostic d, int index, ArtifactUris uris)
    {
        string where = d.Section is null ? string.Empty : d.Index is int i ? $"{d.Section}+{i}: " : d.Section + ": ";
        string file = d.File ?? string.Empty;
        var locations = d.File is null ? [] : new[] { new SarifLocation(new SarifPhysicalLocation(uris.Locate(file), null), null) };
        return new SarifNotification(new SarifDescriptorReference(d.Id, index), "error",
            new SarifMessage((d.File is null ? string.Empty : file + ": ") + where + d.Message), locations);
    }

    /// <summary>What the log shows of one analysis: the object's file name and its errors and warnings.</summary>
    private sealed record Findings(string File, IReadOnlyList<Diagnostic> Diagnostics);

    private sealed class Shared
    {
        public List<string> Objects { get; } = [];

        public bool Written { get; set; }
    }
}
