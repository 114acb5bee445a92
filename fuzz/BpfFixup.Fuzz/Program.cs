// SPDX-License-Identifier: MIT
using BpfFixup.Fuzz;
using SharpFuzz;

// Under afl-fuzz (fuzz/run.sh): SharpFuzz's fork server, the target run in a child process that is restarted when
// it dies (a stack overflow or a timeout kills the process, not the fuzzing session). Without afl-fuzz, with file or
// directory arguments: replay each input and print what escaped, exit 1 when anything did (fuzz/smoke.sh).
// `--hex FILE COMMENT` prints FILE as a .hex regression input (tests/BpfFixup.Tests/TestData/Fuzz).
if (args is ["--hex", var file, var comment])
{
    Console.Out.Write(FuzzInput.ToHex(File.ReadAllBytes(file), comment));
    return 0;
}

// `--seeds DIR OUT` writes each .hex input of DIR into OUT as raw bytes, for afl-fuzz -i.
if (args is ["--seeds", var hexDirectory, var seedDirectory])
{
    foreach (var hex in Directory.GetFiles(hexDirectory, "*.hex"))
    {
        File.WriteAllBytes(Path.Combine(seedDirectory, Path.GetFileNameWithoutExtension(hex) + ".o"), FuzzInput.Read(hex));
    }

    return 0;
}

// `--elf FILE OUT` writes the object FuzzTarget runs for FILE (a StreamObject input wrapped), for the CLI.
if (args is ["--elf", var input, var output])
{
    var data = FuzzInput.Read(input);
    File.WriteAllBytes(output, StreamObject.IsElf(data) ? data : StreamObject.Build(data));
    return 0;
}

if (args.Length > 0)
{
    return Replay.Files(args, Console.Out);
}

var buffer = new byte[FuzzTarget.MaxInputSize + 1];
Fuzzer.OutOfProcess.Run(stream =>
{
    int length = 0;
    int read;
    while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
    {
        length += read;
    }

    FuzzTarget.Run(buffer.AsSpan(0, length).ToArray());
});
return 0;
