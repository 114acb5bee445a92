// SPDX-License-Identifier: MIT
using BpfFixup.Tests.Pipeline;
using BpfFixup.Tests.TestKit;

namespace BpfFixup.Tests.Cli;

/// <summary><c>check</c> and <c>patch</c> go through one library entry point (FixupPipeline) and agree (issue 8).</summary>
public class CheckPatchAgreementTests
{
    [Fact]
    public void The_cli_check_and_patch_print_the_same_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("damaged.o");
        File.WriteAllBytes(path, FixupPipelineTests.DamagedBtfExt());
        var check = CliRun.Run("check", path);
        var patch = CliRun.Run("patch", "--dry-run", path);
        Assert.Equal(2, check.Code); // damage in the input, found by the fixup: bad input, as for the loader
        Assert.Equal(check.Code, patch.Code);
        string error = Assert.Single(check.OutLines, l => l.Contains(": error: ", StringComparison.Ordinal));
        Assert.Contains(error, patch.ErrLines);
        Assert.Contains($"bpffixup: error: {path}: not patched: the input is damaged (see the errors above)", patch.ErrLines);
        Assert.DoesNotContain("internal error", check.Out + patch.Err, StringComparison.Ordinal);
    }
}
