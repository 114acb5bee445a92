// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Analysis;
using BpfFixup.Rendering;

namespace BpfFixup.Cli.Commands;

/// <summary><c>bpffixup check &lt;obj&gt;...</c>: the verifier-like pass, its diagnostics and per-program report.</summary>
internal static class CheckCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objects = new Argument<string[]>("obj") { Description = "BPF ELF object files (.o)", Arity = ArgumentArity.OneOrMore }.FilePaths();
        var format = new Option<string>("--format") { Description = "Output format: text, json or sarif (SARIF 2.1.0)", DefaultValueFactory = _ => "text" }.OneOf("text", "json", "sarif");
        var abi = new AbiOptions();
        var command = new Command("check", "Verify where ctx is at every session-kfunc call, with the kernel's wording; exit 1 on errors") { objects, format };
        abi.AddTo(command);
        command.SetAction(pr =>
        {
            var output = pr.InvocationConfiguration.Output;
            var loaded = ObjectInputs.LoadAll(pr.GetValue(objects) ?? [], pr.InvocationConfiguration.Error);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            string abiName = abi.Resolve(pr).Name;
            var results = loaded.Select(ObjectAnalyzer.Analyze).ToList();
            switch (pr.GetValue(format))
            {
                case "json":
                    CheckReport.WriteJson(output, results, abiName);
                    break;
                case "sarif":
                    CheckReport.WriteSarif(output, results, ToolVersion.Value);
                    break;
                default:
                    CheckReport.WriteText(output, results, abiName);
                    break;
            }

            return results.Any(r => r.HasErrors) ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }
}
