// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Diagnostics;
using BpfFixup.Model;
using BpfFixup.Rendering;
using BpfFixup.Rendering.Json;
using BpfFixup.Rewrite;

namespace BpfFixup.Cli.Commands;

/// <summary><c>bpffixup dump &lt;obj&gt;...</c>: an instruction listing (or JSON) of each object.</summary>
internal static class DumpCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objects = new Argument<string[]>("obj") { Description = "BPF ELF object files (.o)", Arity = ArgumentArity.OneOrMore }.FilePaths();
        var syntax = new Option<string>("--syntax") { Description = "Instruction syntax: llvm (llvm-objdump-19) or xlated (kernel disassembler)", DefaultValueFactory = _ => "llvm" }.OneOf("llvm", "xlated");
        var section = new Option<string[]>("--section", "-j") { Description = "Only the code section with this exact name (repeatable, as llvm-objdump's -j)", AllowMultipleArgumentsPerToken = false };
        var program = new Option<string[]>("--program") { Description = "Only the function (program or subprogram) with this name (repeatable)", AllowMultipleArgumentsPerToken = false };
        var symbols = new Option<string[]>("--disassemble-symbols") { Description = "Only these functions, a comma-separated list (llvm-objdump's spelling)", HelpName = "S1,S2", AllowMultipleArgumentsPerToken = false }.CommaList();
        var source = new Option<bool>("--source") { Description = "Print the BTF line_info source line before the instructions it starts" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (an array of them for several objects)" };
        var noRaw = new Option<bool>("--no-raw", "--no-show-raw-insn") { Description = "Do not print the raw instruction bytes" };
        var disassemble = new Option<bool>("--disassemble", "-d") { Description = "Disassemble (what dump does); -d alone leaves out relocation and CO-RE lines, as llvm-objdump -d does" };
        var reloc = new Option<bool>("--reloc", "-r") { Description = "With -d: print relocation and CO-RE lines after their instructions (llvm-objdump -dr, the default)" };
        var printImmHex = new Option<bool>("--print-imm-hex") { Description = "Print immediates in hex (the default, as in llvm-objdump-19)" };
        var noAnnotations = new Option<bool>("--no-annotations") { Description = "Leave out bpffixup's own annotations (prog_type comments, session kfunc lines): the text of llvm-objdump" };
        var fixup = new Option<bool>("--fixup") { Description = "Show the stream after the fixup (nothing is written)" };
        var abi = new AbiOptions();
        var kernelInlines = KernelInlinesOption.Create();

        var command = new Command("dump", "Print an instruction listing of BPF objects, like llvm-objdump -dr")
        {
            objects, syntax, section, program, symbols, source, json, noRaw, disassemble, reloc, printImmHex, noAnnotations, fixup,
        };
        abi.AddTo(command);
        command.Options.Add(kernelInlines);
        command.Validators.Add(r =>
        {
            // llvm-objdump -r without -d prints a table of relocation records, which dump does not.
            if (r.GetValue(reloc) && !r.GetValue(disassemble))
            {
                r.AddError("-r without -d (llvm-objdump's table of relocation records) is not supported: use -dr, or neither (the same)");
            }
        });
        command.SetAction(pr =>
        {
            string[] programs = [.. pr.GetValue(program) ?? [], .. pr.GetValue(symbols) ?? []];
            string[] sections = pr.GetValue(section) ?? [];
            var options = new ListingOptions
            {
                Syntax = pr.GetValue(syntax) == "xlated" ? ListingSyntax.Xlated : ListingSyntax.Llvm,
                ShowRawBytes = !pr.GetValue(noRaw),
                ShowSource = pr.GetValue(source),
                ShowRelocations = !pr.GetValue(disassemble) || pr.GetValue(reloc),
                ShowAnnotations = !pr.GetValue(noAnnotations),
                Sections = sections.Length == 0 ? null : sections,
                Programs = programs.Length == 0 ? null : programs,
            };
            var rewrite = pr.GetValue(fixup) ? new RewriteOptions { Abi = abi.Resolve(pr), KernelInlines = pr.GetValue(kernelInlines) } : null;
            return Run(pr.GetValue(objects) ?? [], options, pr.GetValue(json), rewrite, pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(string[] files, ListingOptions options, bool json, RewriteOptions? fixup, TextWriter output, TextWriter error)
    {
        // Load everything first: a bad input prints one error line and nothing goes to the output.
        var loaded = new List<BpfObject>(files.Length);
        foreach (var file in files)
        {
            ProgressReporter.Step("reading", file, loaded.Count, files.Length);
            var diagnostics = new DiagnosticBag();
            var obj = ObjectLoader.LoadFile(file, diagnostics);
            if (obj is null)
            {
                CliErrors.Write(error, diagnostics.Items.Count > 0 ? diagnostics.Items[0] : new Diagnostic { Id = DiagnosticIds.IoError, Severity = Severity.Error, Message = "cannot load", File = file });
                return ExitCodes.BadInput;
            }

            if (fixup is not null)
            {
                if (!ObjectInputs.TryFixup(obj, fixup, "no fixup to show", error, out var outcome, out int rejected))
                {
                    return rejected;
                }

                obj = outcome.Patched!;
            }

            loaded.Add(obj);
        }

        if (!FilterMatches(loaded, options, error))
        {
            return ExitCodes.BadInput;
        }

        if (json)
        {
            DumpJson.Write(output, loaded, options);
        }
        else
        {
            var writer = new ListingWriter(options);
            foreach (var obj in loaded)
            {
                ProgressReporter.Step("listing", obj.FileName, loaded.IndexOf(obj), loaded.Count);
                writer.Write(obj, output);
            }
        }

        return ExitCodes.Success;
    }

    private static bool FilterMatches(List<BpfObject> objects, ListingOptions options, TextWriter error)
    {
        if (options.Sections is null && options.Programs is null)
        {
            return true;
        }

        foreach (var obj in objects)
        {
            foreach (var fn in obj.Functions)
            {
                if (options.IncludesSection(fn.Section.Name) && options.IncludesFunction(fn.Name))
                {
                    return true;
                }
            }
        }

        string what = (Names(options.Sections), Names(options.Programs)) switch
        {
            (string s, string p) => $"no function {p} in a code section {s}",
            (string s, null) => $"no code section {s}",
            (_, var p) => $"no function {p}",
        };
        CliErrors.Write(error, what);
        return false;
    }

    /// <summary><c>'a'</c>, or <c>'a', 'b'</c> (as asked); null for no filter.</summary>
    private static string? Names(IReadOnlyCollection<string>? names) => names is null ? null : string.Join(", ", names.Select(n => $"'{n}'"));
}
