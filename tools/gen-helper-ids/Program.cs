// SPDX-License-Identifier: MIT
using BpfFixup.Tools;

// gen-helper-ids HEADER [OUTPUT]: HelperIds.g.cs from bpf_helper_defs.h or a uapi bpf.h (see HelperIdsGenerator);
// to standard output, or to OUTPUT through a temporary file in its directory. The committed file:
//   dotnet run -c Release --project tools/gen-helper-ids -- /usr/include/bpf/bpf_helper_defs.h src/BpfFixup/Isa/HelperIds.g.cs
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: gen-helper-ids HEADER [OUTPUT]   (HEADER: /usr/include/bpf/bpf_helper_defs.h or include/uapi/linux/bpf.h)");
    return 2;
}

string text;
try
{
    text = HelperIdsGenerator.Generate(args[0]);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
{
    Console.Error.WriteLine($"gen-helper-ids: {args[0]}: {e.Message}");
    return 2;
}

if (args.Length == 1)
{
    Console.Out.Write(text);
    return 0;
}

string output = Path.GetFullPath(args[1]);
string temp = Path.Combine(Path.GetDirectoryName(output)!, "." + Path.GetFileName(output) + ".tmp");
try
{
    File.WriteAllText(temp, text);
    File.Move(temp, output, overwrite: true);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"gen-helper-ids: {output}: {e.Message}");
    File.Delete(temp);
    return 2;
}

return 0;
