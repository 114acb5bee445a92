// SPDX-License-Identifier: MIT
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Isa;
using BpfFixup.Model;

namespace BpfFixup.Tests.Analysis;

/// <summary>
/// A function's calls and ld_imm64s are resolved once (ControlFlowGraph.ResolvedAt): each one's own answer, asked
/// for in any order and as often as the analysis meets it, with one resolution per instruction.
/// </summary>
public class ResolvedInstructionTests
{
    [Theory]
    [InlineData("session_multi-el.o")]
    [InlineData("session_global-eb.o")]
    [InlineData("helpers_tracing-el.o")]
    [InlineData("session_asm-el.o")]
    public void Each_call_and_ld_imm64_gets_its_own_answer_resolved_once(string sample)
    {
        var obj = TestHelpers.LoadSample(sample);
        int checkedInsns = 0;
        foreach (var fn in obj.Functions)
        {
            var cfg = ControlFlowGraph.Build(obj, fn, new List<Diagnostic>());
            var asked = new List<int>();
            ResolvedInstruction Resolve(BpfFunction f, int i)
            {
                Assert.Same(fn, f);
                asked.Add(i);
                return new ResolvedInstruction(default, null, null, null, (RegTypes)i);
            }

            var wanted = Enumerable.Range(fn.StartInsn, fn.Length)
                .Where(i => fn.Section.Kinds[i] is InstructionKind.CallLocal or InstructionKind.LoadImm64).ToList();
            for (int pass = 0; pass < 2; pass++)
            {
                foreach (int i in pass == 0 ? wanted : Enumerable.Reverse(wanted))
                {
                    Assert.Equal((RegTypes)i, cfg.ResolvedAt(i, Resolve).Loaded);
                    checkedInsns++;
                }
            }

            Assert.Equal(wanted, asked); // each once, in order, at the first question
        }

        Assert.True(checkedInsns > 0);
    }
}
