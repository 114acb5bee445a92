// SPDX-License-Identifier: MIT
using System.CommandLine;
using BpfFixup.Rendering;
using BpfFixup.Rewrite;

namespace BpfFixup.Cli.Commands;

/// <summary><c>bpffixup check &lt;obj&gt;...</c>: the verifier-like pass, its diagnostics and per-program report.</summary>
internal static class CheckCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objects = new Argument<string[]>("obj") { Description = "BPF ELF object files (.o)", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "Output format: text, json or sarif (SARIF 2.1.0)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
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

            var options = new RewriteOptions { Abi = abi.Resolve(pr) };
            string abiName = options.Abi.Name;
            var results = loaded.Select(obj => FixupPipeline.Verify(obj, options)).ToList();
            output.Write(pr.GetValue(format) switch
            {
                "json" => CheckReport.Json(results, abiName),
                "sarif" => CheckReport.Sarif(results, ToolVersion.Value),
                _ => CheckReport.Text(results, abiName),
            });
            return results.Any(r => r.HasErrors) ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }
}
