// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;

namespace BpfFixup.Tests.Interop;

/// <summary>
/// Microsoft's SARIF multitool (<c>@microsoft/sarif-multitool-linux</c> 5.7.0 from npm), the validator GitHub
/// points to for code-scanning uploads. Found at <c>$BPFFIXUP_SARIF_MULTITOOL</c>, or where .ci/run installs it:
/// <c>~/.cache/bpffixup-sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool</c>.
/// </summary>
public static class SarifMultitool
{
    /// <summary>The variable that names the multitool's executable.</summary>
    public const string Variable = "BPFFIXUP_SARIF_MULTITOOL";

    /// <summary>How to get it, for the skip reason and the failure.</summary>
    public const string InstallHint = "npm install --prefix ~/.cache/bpffixup-sarif @microsoft/sarif-multitool-linux@5.7.0";

    /// <summary>The executable, or null.</summary>
    public static string? Find()
    {
        string? named = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(named))
        {
            return File.Exists(named) ? named : null;
        }

        string home = Environment.GetEnvironmentVariable("HOME") ?? string.Empty;
        string cached = Path.Combine(home, ".cache", "bpffixup-sarif", "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");
        return home.Length > 0 && File.Exists(cached) ? cached : null;
    }

    /// <summary>Why the validator tests are skipped, or null when they run (found, or required).</summary>
    public static string? SkipReason() =>
        ExternalTool.InteropRequired || Find() is not null ? null
            : $"SARIF multitool not found (set {Variable}, or {InstallHint})";

    /// <summary>
    /// Validates <paramref name="logs"/> with <c>validate --rule-kind "Sarif;Gh"</c> in one run and returns every
    /// error and warning it reports, one line each (<c>file: level rule: message</c>); notes are not returned.
    /// The files come first: the list options (<c>--log</c>) would take them as values.
    /// The multitool exits 0 whatever it finds, so its own SARIF output (<c>-o</c>) is read: it holds the errors
    /// and warnings (its default <c>--level</c>), and its invocation says whether the run itself worked.
    /// </summary>
    public static IReadOnlyList<string> Validate(string workDir, IEnumerable<string> logs)
    {
        string tool = Find() ?? throw new InvalidOperationException(
            $"SARIF multitool not found, and {ExternalTool.RequireVariable}=1 requires it ({InstallHint}, or set {Variable})");
        string output = Path.Combine(workDir, "validation.sarif");
        var result = ExternalTool.RunExecutable(tool, ["validate", .. logs, "--rule-kind", "Sarif;Gh", "--output", output, "--log", "ForceOverwrite"], TimeSpan.FromSeconds(120));
        if (result.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"sarif-multitool exited with {result.ExitCode}:\n{result.Stdout}{result.Stderr}");
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(output));
        var run = doc.RootElement.GetProperty("runs")[0];
        var found = new List<string>();
        if (run.TryGetProperty("invocations", out var invocations))
        {
            foreach (var inv in invocations.EnumerateArray())
            {
                if (inv.TryGetProperty("executionSuccessful", out var ok) && !ok.GetBoolean())
                {
                    found.Add("the validator's run failed:\n" + result.Stdout);
                }
            }
        }

        foreach (var r in run.GetProperty("results").EnumerateArray())
        {
            string level = r.TryGetProperty("level", out var l) ? l.GetString() ?? "warning" : "warning";
            if (level is "error" or "warning")
            {
                found.Add($"{Uri(r)}: {level} {r.GetProperty("ruleId").GetString()}: {Text(r, run)}");
            }
        }

        return found;
    }

    private static string Uri(JsonElement result) =>
        result.TryGetProperty("locations", out var locs) && locs.GetArrayLength() > 0
        && locs[0].TryGetProperty("physicalLocation", out var p) && p.TryGetProperty("artifactLocation", out var a)
        && a.TryGetProperty("uri", out var u) ? u.GetString() ?? "?" : "?";

    /// <summary>The result's text: its own, or its rule's message string with the arguments put in.</summary>
    private static string Text(JsonElement result, JsonElement run)
    {
        var message = result.GetProperty("message");
        if (message.TryGetProperty("text", out var t))
        {
            return t.GetString() ?? string.Empty;
        }

        string id = message.TryGetProperty("id", out var mid) ? mid.GetString() ?? string.Empty : string.Empty;
        string[] args = message.TryGetProperty("arguments", out var a) ? [.. a.EnumerateArray().Select(x => x.GetString() ?? string.Empty)] : [];
        string ruleId = result.GetProperty("ruleId").GetString() ?? string.Empty;
        foreach (var rule in run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray())
        {
            if (rule.GetProperty("id").GetString() == ruleId && rule.TryGetProperty("messageStrings", out var strings)
                && strings.TryGetProperty(id, out var s) && s.TryGetProperty("text", out var format))
            {
                var sb = new StringBuilder(format.GetString());
                for (int i = 0; i < args.Length; i++)
                {
                    sb.Replace("{" + i + "}", args[i]);
                }

                return sb.ToString();
            }
        }

        return id + " " + string.Join(", ", args);
    }
}

/// <summary>A fact that runs the SARIF multitool: skipped with the reason when it is missing, unless interop is required.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SarifMultitoolFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when the multitool is missing.</summary>
    public SarifMultitoolFactAttribute()
    {
        if (SarifMultitool.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
