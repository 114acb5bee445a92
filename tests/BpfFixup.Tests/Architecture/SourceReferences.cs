// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace BpfFixup.Tests.Architecture;

/// <summary>
/// The namespaces each source file under src/ names: its <c>using BpfFixup.X</c> directives (plain, static and
/// alias) and its fully qualified <c>BpfFixup.X.Y</c> references outside comments. A name maps to the longest
/// namespace declared in src/ that it starts with; names of no declared namespace (<c>BpfFixup.Core</c>, the
/// assembly) are not edges. Uses the compiler resolves without naming a namespace (a parent namespace's types,
/// inferred types) are not seen here; <see cref="MetadataReferences"/> sees those.
/// </summary>
internal static partial class SourceReferences
{
    /// <summary>Every .cs file of src/, not the build's obj/ and bin/ output.</summary>
    public static IReadOnlyList<string> SourceFiles(string root)
    {
        var files = Directory.GetFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin"))
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>The file-scoped or block namespace <paramref name="text"/> declares, or null.</summary>
    public static string? DeclaredNamespace(string text) => NamespaceDeclaration().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The edges of every file under <paramref name="root"/>/src.</summary>
    public static IReadOnlyList<NamespaceEdge> Edges(string root)
    {
        var files = SourceFiles(root).Select(f => (Path: Path.GetRelativePath(root, f), Text: File.ReadAllText(f))).ToList();
        var declared = files.Select(f => DeclaredNamespace(f.Text)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return [.. files.SelectMany(f => EdgesOf(f.Text, f.Path, declared))];
    }

    /// <summary>The edges of one file's <paramref name="text"/>, to namespaces in <paramref name="declared"/>.</summary>
    public static IEnumerable<NamespaceEdge> EdgesOf(string text, string where, IReadOnlySet<string> declared)
    {
        string? from = DeclaredNamespace(text);
        if (from is null)
        {
            yield break;
        }

        string code = CommentOrString().Replace(text, " ");
        var names = UsingDirective().Matches(code).Select(m => m.Groups[1].Value)
            .Concat(QualifiedName().Matches(code).Select(m => m.Groups[1].Value));
        foreach (string name in names)
        {
            if (LongestDeclaredPrefix(name, declared) is { } to && to != from)
            {
                yield return new NamespaceEdge(from, to, where);
            }
        }
    }

    private static string? LongestDeclaredPrefix(string name, IReadOnlySet<string> declared)
    {
        for (string n = name; ; n = n[..n.LastIndexOf('.')])
        {
            if (declared.Contains(n))
            {
                return n;
            }

            if (n.IndexOf('.') < 0)
            {
                return null;
            }
        }
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(BpfFixup(?:\.\w+)*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    // A name qualified from the root (global:: allowed): BpfFixup.X.Y, not a member access such as obj.BpfFixup.X.
    [GeneratedRegex(@"(?<![\w.])(?:global::)?(BpfFixup(?:\.\w+)+)")]
    private static partial Regex QualifiedName();

    // A string or char literal, a line comment (doc comments too) or a block comment: none is code. Strings are
    // matched so that "https://..." starts no comment. Raw string literals are not used in src/.
    [GeneratedRegex(@"@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)+'|//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
