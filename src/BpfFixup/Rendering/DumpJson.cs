// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;
using BpfFixup.IO;
using BpfFixup.Model;
using BpfFixup.Rendering.Json;

namespace BpfFixup.Rendering;

/// <summary>
/// Builds and writes the <c>dump --json</c> model: a <see cref="DumpReport"/> whose <c>objects</c> hold one
/// <see cref="DumpDocument"/> per input, in the order given, however many there are (docs/json-schema.md).
/// Output is indented, LF-terminated and deterministic.
/// </summary>
public static class DumpJson
{
    // Readable text: '+', '<', '>' and '&' appear in instruction text and need no escaping outside HTML.
    private static readonly DumpJsonContext Context = new(ReadableJson.From(DumpJsonContext.Default.Options));

    /// <summary>Builds the document for <paramref name="obj"/>, honouring the section and program filters of <paramref name="options"/>.</summary>
    public static DumpDocument Build(BpfObject obj, ListingOptions options)
    {
        var sections = new List<DumpSection>();
        var sb = new StringBuilder(64);
        var marks = new SessionMarks(obj);
        foreach (var section in obj.CodeSections)
        {
            if (!options.IncludesSection(section.Name) || section.Instructions.Length == 0)
            {
                continue;
            }

            var view = new SectionView(obj, section);
            var insns = new List<DumpInstruction>();
            foreach (var fn in section.Functions)
            {
                if (!options.IncludesFunction(fn.Name))
                {
                    continue;
                }

                for (int i = fn.StartInsn; i < fn.EndInsn; i++)
                {
                    insns.Add(BuildInstruction(view, fn, i, marks, sb));
                }
            }

            if (insns.Count > 0)
            {
                var def = section.Definition;
                sections.Add(new DumpSection(section.Name, def is null ? null : TypeNames.Of(def.ProgramType), def?.AttachType is { } a ? TypeNames.Of(a) : null, insns));
            }
        }

        return new DumpDocument(obj.FileName, obj.ByteOrder == Elf.ByteOrder.Big ? "big" : "little", sections);
    }

    /// <summary>
    /// Writes the documents of <paramref name="objects"/> as <see cref="Serialize"/> would (the same bytes), one
    /// instruction at a time: memory stays that of the loaded objects, whatever the size of the output.
    /// </summary>
    /// <param name="output">Where the JSON goes (see <see cref="JsonOutput.Write(TextWriter, Action{Utf8JsonWriter})"/>).</param>
    /// <param name="objects">The objects, in order.</param>
    /// <param name="options">The section and program filters.</param>
    public static void Write(TextWriter output, IReadOnlyList<BpfObject> objects, ListingOptions options)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(options);
        JsonOutput.Write(output, writer =>
        {
            // Property names and order as DumpJsonContext writes DumpReport.
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", JsonDocuments.SchemaVersion);
            writer.WriteStartArray("objects");
            foreach (var obj in objects)
            {
                WriteDocument(writer, obj, options);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>The text <see cref="Write"/> writes.</summary>
    /// <param name="objects">The objects, in order.</param>
    /// <param name="options">The section and program filters.</param>
    /// <returns>The JSON, LF-terminated.</returns>
    public static string Text(IReadOnlyList<BpfObject> objects, ListingOptions options)
    {
        using var text = new StringWriter();
        Write(text, objects, options);
        return text.ToString();
    }

    // Property names and order as DumpJsonContext writes DumpDocument and DumpSection (camelCase, declaration order).
    private static void WriteDocument(Utf8JsonWriter writer, BpfObject obj, ListingOptions options)
    {
        var scratch = new InstructionScratch();
        var marks = new SessionMarks(obj);
        writer.WriteStartObject();
        writer.WriteString("file", obj.FileName);
        writer.WriteString("byteOrder", obj.ByteOrder == Elf.ByteOrder.Big ? "big" : "little");
        writer.WriteStartArray("sections");
        foreach (var section in obj.CodeSections)
        {
            if (!options.IncludesSection(section.Name)
                || !section.Functions.Any(fn => fn.EndInsn > fn.StartInsn && options.IncludesFunction(fn.Name)))
            {
                continue;
            }

            var view = new SectionView(obj, section);
            var def = section.Definition;
            writer.WriteStartObject();
            writer.WriteString("name", section.Name);
            JsonFields.WriteStringOrNull(writer, "programType", def is null ? null : TypeNames.Of(def.ProgramType));
            JsonFields.WriteStringOrNull(writer, "attachType", def?.AttachType is { } a ? TypeNames.Of(a) : null);
            writer.WriteStartArray("instructions");
            foreach (var fn in section.Functions)
            {
                if (!options.IncludesFunction(fn.Name))
                {
                    continue;
                }

                for (int i = fn.StartInsn; i < fn.EndInsn; i++)
                {
                    WriteInstruction(writer, view, fn, i, marks, scratch);
                    JsonOutput.FlushIfFull(writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// One <see cref="DumpInstruction"/> as DumpJsonContext writes it, without building the record or its strings:
    /// a million instructions leave no garbage behind (the GC would keep the memory of it committed).
    /// </summary>
    private static void WriteInstruction(Utf8JsonWriter writer, SectionView view, BpfFunction fn, int insn, SessionMarks marks, InstructionScratch scratch)
    {
        var section = view.Section;
        int slot = section.Slots[insn];
        writer.WriteStartObject();
        writer.WriteNumber("index", slot);
        Span<char> hex = stackalloc char[32];
        Convert.TryToHexStringLower(view.BytesOf(insn), hex, out int hexLength);
        writer.WriteString("bytes", hex[..hexLength]);
        view.AppendLlvm(scratch.Clear(), insn);
        writer.WriteString("llvm", scratch.Chars());
        view.AppendXlated(scratch.Clear(), insn);
        writer.WriteString("xlated", scratch.Chars());
        writer.WriteString("function", fn.Name);
        if (section.Relocations[insn] is { } r)
        {
            writer.WriteStartObject("relocation");
            writer.WriteString("type", SectionView.TypeName(r));
            writer.WriteString("symbol", r.SymbolName);
            writer.WriteNumber("offset", r.Raw.Offset);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("relocation");
        }

        JsonFields.WriteStringOrNull(writer, "kfunc", marks.At(section, insn) is { } site ? SessionKfuncs.NameOf(site.Kfunc) : null);
        JsonFields.WriteSource(writer, view.SourceAt(slot));

        if (view.CoreAt(slot) is { } records)
        {
            writer.WriteStartArray("coRe");
            foreach (var rec in records)
            {
                view.AppendCore(scratch.Clear(), rec);
                writer.WriteStringValue(scratch.Chars());
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNull("coRe");
        }

        writer.WriteEndObject();
    }

    /// <summary>Serializes the <see cref="DumpReport"/> of <paramref name="documents"/> (what <see cref="Write"/> streams).</summary>
    public static string Serialize(IReadOnlyList<DumpDocument> documents) =>
        JsonSerializer.Serialize(new DumpReport(JsonDocuments.SchemaVersion, documents), Context.DumpReport).ReplaceLineEndings("\n") + "\n";

    private static DumpInstruction BuildInstruction(SectionView view, BpfFunction fn, int insn, SessionMarks marks, StringBuilder sb)
    {
        var section = view.Section;
        int slot = section.Slots[insn];
        sb.Clear();
        view.AppendLlvm(sb, insn);
        string llvm = sb.ToString();
        sb.Clear();
        view.AppendXlated(sb, insn);
        string xlated = sb.ToString();
        var relocation = section.Relocations[insn] is { } r ? new DumpRelocation(SectionView.TypeName(r), r.SymbolName, r.Raw.Offset) : null;
        var source = view.SourceAt(slot) is { } s ? new SourcePosition(s.File, s.Line, s.Column, s.Text) : null;
        List<string>? core = null;
        if (view.CoreAt(slot) is { } records)
        {
            core = [];
            foreach (var rec in records)
            {
                sb.Clear();
                view.AppendCore(sb, rec);
                core.Add(sb.ToString());
            }
        }

        string? kfunc = marks.At(section, insn) is { } site ? SessionKfuncs.NameOf(site.Kfunc) : null;
        return new DumpInstruction(slot, HexBytes.ToHex(view.BytesOf(insn)), llvm, xlated, fn.Name, relocation, kfunc, source, core);
    }

    /// <summary>A reused builder and the char buffer its text is copied to, so writing it allocates nothing.</summary>
    private sealed class InstructionScratch
    {
        private readonly StringBuilder sb = new(128);
        private char[] chars = new char[128];

        public StringBuilder Clear() => sb.Clear();

        public ReadOnlySpan<char> Chars()
        {
            if (chars.Length < sb.Length)
            {
                chars = new char[sb.Length * 2];
            }

            sb.CopyTo(0, chars, sb.Length);
            return chars.AsSpan(0, sb.Length);
        }
    }
}
