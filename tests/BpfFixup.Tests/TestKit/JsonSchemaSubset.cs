// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BpfFixup.Tests.TestKit;

/// <summary>
/// A validator for the subset of JSON Schema (draft 2020-12) that docs/schema/*.json use: type (one or a list),
/// const, enum, pattern, minimum, properties, required, additionalProperties (false or a schema), items, oneOf and
/// $ref (<c>#/$defs/x</c> or <c>other.schema.json#/$defs/x</c>, beside the first). A keyword outside the subset
/// throws, so a schema cannot rely on one this validator would ignore.
/// </summary>
internal sealed class JsonSchemaSubset
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$schema", "$id", "$defs", "title", "description" };

    private readonly string directory;
    private readonly Dictionary<string, JsonElement> documents = new(StringComparer.Ordinal);

    public JsonSchemaSubset(string directory) => this.directory = directory;

    /// <summary>Every place where <paramref name="instance"/> breaks schema file <paramref name="schemaFile"/>, as <c>$.path: what</c>.</summary>
    public List<string> Validate(string schemaFile, JsonElement instance)
    {
        var errors = new List<string>();
        Check(Document(schemaFile), schemaFile, instance, "$", errors);
        return errors;
    }

    private JsonElement Document(string file)
    {
        if (!documents.TryGetValue(file, out var doc))
        {
            using var parsed = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, file)));
            documents[file] = doc = parsed.RootElement.Clone();
        }

        return doc;
    }

    private void Check(JsonElement schema, string file, JsonElement value, string path, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            switch (keyword.Name)
            {
                case "$ref":
                    string reference = keyword.Value.GetString()!;
                    int hash = reference.IndexOf('#', StringComparison.Ordinal);
                    string target = hash <= 0 ? file : reference[..hash];
                    var node = Document(target);
                    foreach (string part in reference[(hash + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries))
                    {
                        node = node.GetProperty(part);
                    }

                    Check(node, target, value, path, errors);
                    break;
                case "type":
                    var types = keyword.Value.ValueKind == JsonValueKind.Array
                        ? keyword.Value.EnumerateArray().Select(t => t.GetString()!).ToList()
                        : [keyword.Value.GetString()!];
                    if (!types.Any(t => IsType(value, t)))
                    {
                        errors.Add($"{path}: {value.ValueKind} is not {string.Join(" or ", types)}");
                    }

                    break;
                case "const":
                case "enum":
                    var allowed = keyword.Name == "const" ? [keyword.Value] : keyword.Value.EnumerateArray().ToList();
                    if (!allowed.Any(a => a.GetRawText() == value.GetRawText()))
                    {
                        errors.Add($"{path}: {value.GetRawText()} is not one of {string.Join(", ", allowed.Select(a => a.GetRawText()))}");
                    }

                    break;
                case "pattern":
                    if (value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, keyword.Value.GetString()!, RegexOptions.CultureInvariant))
                    {
                        errors.Add($"{path}: \"{value.GetString()}\" does not match {keyword.Value.GetString()}");
                    }

                    break;
                case "minimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() < keyword.Value.GetDouble())
                    {
                        errors.Add($"{path}: {value.GetRawText()} is below {keyword.Value.GetRawText()}");
                    }

                    break;
                case "required":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in keyword.Value.EnumerateArray().Select(n => n.GetString()!).Where(n => !value.TryGetProperty(n, out _)))
                        {
                            errors.Add($"{path}: '{name}' is missing");
                        }
                    }

                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in keyword.Value.EnumerateObject())
                        {
                            if (value.TryGetProperty(p.Name, out var member))
                            {
                                Check(p.Value, file, member, path + "." + p.Name, errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        var declared = schema.TryGetProperty("properties", out var props) ? props : default;
                        foreach (var member in value.EnumerateObject().Where(m => declared.ValueKind != JsonValueKind.Object || !declared.TryGetProperty(m.Name, out _)))
                        {
                            if (keyword.Value.ValueKind == JsonValueKind.False)
                            {
                                errors.Add($"{path}: '{member.Name}' is not in the schema");
                            }
                            else
                            {
                                Check(keyword.Value, file, member.Value, path + "." + member.Name, errors);
                            }
                        }
                    }

                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        int i = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            Check(keyword.Value, file, item, path + "[" + i++.ToString(CultureInfo.InvariantCulture) + "]", errors);
                        }
                    }

                    break;
                case "oneOf":
                    int matches = 0;
                    var reasons = new List<string>();
                    foreach (var option in keyword.Value.EnumerateArray())
                    {
                        var sub = new List<string>();
                        Check(option, file, value, path, sub);
                        matches += sub.Count == 0 ? 1 : 0;
                        reasons.AddRange(sub);
                    }

                    if (matches != 1)
                    {
                        errors.Add($"{path}: matches {matches} of the oneOf schemas ({string.Join("; ", reasons)})");
                    }

                    break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        throw new NotSupportedException($"{file}: keyword '{keyword.Name}' is outside the subset this validator checks");
                    }

                    break;
            }
        }
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => throw new NotSupportedException("type " + type),
    };
}
