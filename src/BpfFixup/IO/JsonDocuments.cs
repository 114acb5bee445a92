// SPDX-License-Identifier: MIT
namespace BpfFixup.IO;

/// <summary>
/// What every JSON document the tool writes shares (docs/json-schema.md): a top-level object whose first member is
/// <c>schemaVersion</c>, camelCase member names, and <c>file</c> always naming an input object file.
/// </summary>
public static class JsonDocuments
{
    /// <summary>
    /// The version of the documents' shape: raised when a member is renamed, removed or changes meaning; members
    /// added without changing others keep it.
    /// </summary>
    public const int SchemaVersion = 1;
}
