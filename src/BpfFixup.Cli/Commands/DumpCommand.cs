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
        var section = new Option<string?>("--section") { Description = "Only the code section with this exact name" };
        var program = new Option<string?>("--program") { Description = "Only the function (program or subprogram) with this name" };
        var source = new Option<bool>("--source") { Description = "Print the BTF line_info source line before the instructions it starts" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (an array of them for several objects)" };
        var noRaw = new Option<bool>("--no-raw") { Description = "Do not print the raw instruction bytes" };
        var fixup = new Option<bool>("--fixup") { Description = "Show the stream after the fixup (nothing is written)" };
        var abi = new AbiOptions();
        var kernelInlines = KernelInlinesOption.Create();

        var command = new Command("dump", "Print an instruction listing of BPF objects, like llvm-objdump -dr")
        {
            objects, syntax, section, program, source, json, noRaw, fixup,
        };
        abi.AddTo(command);
        command.Options.Add(kernelInlines);
        command.SetAction(pr =>
        {
            var options = new ListingOptions
            {
                Syntax = pr.GetValue(syntax) == "xlated" ? ListingSyntax.Xlated : ListingSyntax.Llvm,
                ShowRawBytes = !pr.GetValue(noRaw),
                ShowSource = pr.GetValue(source),
                Section = pr.GetValue(section),
                Program = pr.GetValue(program),
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
                writer.Write(obj, output);
            }
        }

        return ExitCodes.Success;
    }

    private static bool FilterMatches(List<BpfObject> objects, ListingOptions options, TextWriter error)
    {
        if (options.Section is null && options.Program is null)
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

        string what = (options.Section, options.Program) switch
        {
            (not null, not null) => $"no function '{options.Program}' in a code section '{options.Section}'",
            (not null, null) => $"no code section '{options.Section}'",
            _ => $"no function '{options.Program}'",
        };
        CliErrors.Write(error, what);
        return false;
    }
}
