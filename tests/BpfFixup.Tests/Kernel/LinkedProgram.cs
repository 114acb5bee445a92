// SPDX-License-Identifier: MIT
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rewrite;

namespace BpfFixup.Tests.Kernel;

/// <summary>What libbpf and then the kernel may legitimately change in one instruction of the program libbpf loads.</summary>
public enum LinkedKind
{
    /// <summary>Nothing: the kernel's bytes must be these.</summary>
    Exact,

    /// <summary>A jump: its offset is re-targeted around patches and removals (bpf_adj_branches via bpf_patch_insn_data).</summary>
    Jump,

    /// <summary>A bpf-to-bpf call: libbpf writes the relative target (bpf_object__reloc_code), jit_subprogs re-encodes off and imm.</summary>
    PseudoCall,

    /// <summary>ld_imm64 of a callback (BPF_PSEUDO_FUNC, libbpf's bpf_object__reloc_code): jit_subprogs writes the address into both halves.</summary>
    PseudoFunc,

    /// <summary>A kfunc call libbpf resolved (src BPF_PSEUDO_KFUNC_CALL, imm the BTF id; bpf_object__relocate_data): fixup_kfunc_call makes imm an address offset.</summary>
    KfuncCall,

    /// <summary>A helper call: do_misc_fixups makes imm <c>func - __bpf_call_base</c> (possibly a map-specific function), or inlines it.</summary>
    HelperCall,

    /// <summary>ld_imm64 of a map (libbpf: src BPF_PSEUDO_MAP_FD, imm the fd): resolve_pseudo_ldimm64 stores the map; bpf_insn_prepare_dump shows the map id.</summary>
    MapFd,

    /// <summary>ld_imm64 into a global-data map (BPF_PSEUDO_MAP_VALUE, second imm the offset): imm becomes the map id, the offset is kept.</summary>
    MapValue,

    /// <summary>ld_imm64 of an extern kernel symbol (BPF_PSEUDO_BTF_ID): check_pseudo_btf_id makes it a plain ld_imm64 (src 0) of the address.</summary>
    KsymAddress,

    /// <summary>An instruction with a CO-RE relocation: libbpf's bpf_core_patch_insn rewrites its offset or immediate against the kernel's BTF.</summary>
    CoreRelocated,
}

/// <summary>One instruction of the linked program.</summary>
/// <param name="Insn">The instruction as the patched object holds it.</param>
/// <param name="Kind">What may change in it.</param>
/// <param name="Slot">Its slot in the linked program.</param>
/// <param name="TargetSlot">For jumps, calls and callbacks: the slot it leads to in the linked program, else -1.</param>
/// <param name="Where">section/function+slot in the patched object, for messages.</param>
/// <param name="InlinedKfunc">The session kfunc whose inline sequence this instruction belongs to, if any.</param>
/// <param name="KeptKfunc">The session kfunc this call is, when the call is kept.</param>
public sealed record LinkedInsn(Instruction Insn, LinkedKind Kind, int Slot, int TargetSlot, string Where, SessionKfunc? InlinedKfunc, SessionKfunc? KeptKfunc)
{
    /// <summary>
    /// A load or store through the program's ctx: its base register still holds the entry function's r1 (or a copy),
    /// tracked in instruction order. convert_ctx_accesses rewrites only these.
    /// </summary>
    public bool CtxBase { get; init; }
}

/// <summary>
/// A program of the patched object laid out as libbpf loads it: the entry function, then every subprogram it
/// reaches, each appended when its first call or callback reference is met, depth first (libbpf.c,
/// bpf_object__reloc_code and bpf_object__append_subprog_code).
/// </summary>
public sealed class LinkedProgram
{
    private LinkedProgram(List<LinkedInsn> insns, ProgramType? type, AttachType? attach)
    {
        Instructions = insns;
        ProgramType = type;
        AttachType = attach;
    }

    /// <summary>The instructions, in load order.</summary>
    public IReadOnlyList<LinkedInsn> Instructions { get; }

    /// <summary>The program type libbpf gives the section.</summary>
    public ProgramType? ProgramType { get; }

    /// <summary>The expected attach type.</summary>
    public AttachType? AttachType { get; }

    /// <summary>Lays out <paramref name="program"/> of <paramref name="patched"/>, marking the inline sequences <paramref name="inlined"/>.</summary>
    public static LinkedProgram Build(BpfObject patched, string program, IReadOnlyList<InlinedSite> inlined)
    {
        var main = patched.Programs.Single(f => f.Name == program);
        var bases = new Dictionary<BpfFunction, int>();
        var order = new List<BpfFunction>();
        int next = 0;

        void Append(BpfFunction f)
        {
            bases[f] = next;
            next += f.EndSlot - f.StartSlot;
            order.Add(f);
            for (int i = f.StartInsn; i < f.EndInsn; i++)
            {
                if (Reference(f.Section, i) is { Kind: CallTargetKind.Subprogram } t)
                {
                    var callee = t.Function ?? t.Section!.FunctionAt(t.TargetInsn);
                    if (!bases.ContainsKey(callee))
                    {
                        Append(callee);
                    }
                }
            }
        }

        CallTarget Reference(CodeSection s, int i) => s.Kinds[i] switch
        {
            InstructionKind.CallLocal => patched.ResolveCall(s, i),
            InstructionKind.LoadImm64 => patched.ResolveFunctionPointer(s, i),
            _ => CallTarget.None,
        };

        Append(main);
        var insns = new List<LinkedInsn>();
        foreach (var f in order)
        {
            var s = f.Section;
            var core = new HashSet<int>();
            if (patched.BtfExt?.CoreRelo?.For(s.Name) is { } relos)
            {
                core.UnionWith(relos.Records.Select(r => (int)(r.InsnOff / 8)));
            }

            for (int i = f.StartInsn; i < f.EndInsn; i++)
            {
                var insn = s.Instructions[i];
                int sectionSlot = s.Slots[i];
                int slot = bases[f] + sectionSlot - f.StartSlot;
                var site = inlined.FirstOrDefault(x => x.Section == s.Name && sectionSlot >= x.Slot && sectionSlot < x.Slot + x.Length);
                SessionKfunc? kept = null;
                int target = -1;
                LinkedKind kind;
                var reference = Reference(s, i);
                if (core.Contains(sectionSlot))
                {
                    kind = LinkedKind.CoreRelocated;
                }
                else if (reference.Kind == CallTargetKind.Subprogram)
                {
                    var callee = reference.Function ?? reference.Section!.FunctionAt(reference.TargetInsn);
                    kind = s.Kinds[i] == InstructionKind.CallLocal ? LinkedKind.PseudoCall : LinkedKind.PseudoFunc;
                    target = bases[callee] + reference.Section!.Slots[reference.TargetInsn] - callee.StartSlot;
                }
                else if (reference.Kind == CallTargetKind.Kfunc)
                {
                    kind = LinkedKind.KfuncCall;
                    kept = patched.SessionCallSiteAt(s, i)?.Kfunc;
                }
                else if (s.Kinds[i] == InstructionKind.LoadImm64 && s.Relocations[i] is { } reloc)
                {
                    string? targetSection = reloc.Symbol.HasSection ? patched.Elf.Sections[reloc.Symbol.SectionIndex].Name : null;
                    (kind, insn) = targetSection switch
                    {
                        null => (LinkedKind.KsymAddress, insn),
                        ".maps" or "maps" => (LinkedKind.MapFd, insn),
                        // bpf_object__relocate_data: insn[1].imm = insn[0].imm + relo->sym_off.
                        _ => (LinkedKind.MapValue, insn with { NextImm = insn.Imm + (int)reloc.Symbol.Value }),
                    };
                }
                else if (s.Kinds[i] == InstructionKind.CallHelper)
                {
                    kind = LinkedKind.HelperCall;
                }
                else if (s.Kinds[i] is InstructionKind.ConditionalJump or InstructionKind.Goto or InstructionKind.GotoLong or InstructionKind.MayGoto)
                {
                    kind = LinkedKind.Jump;
                    target = slot + 1 + insn.JumpDistance;
                }
                else
                {
                    kind = LinkedKind.Exact;
                }

                insns.Add(new LinkedInsn(insn, kind, slot, target, $"{s.Name}/{f.Name}+{sectionSlot}", site?.Kfunc, kept));
            }
        }

        MarkCtxAccesses(insns, main.EndSlot - main.StartSlot);
        return new LinkedProgram(insns, main.Definition?.ProgramType, main.Definition?.AttachType);
    }

    /// <summary>Marks the loads and stores of the entry function whose base register holds the ctx (r1 at entry, copies of it).</summary>
    private static void MarkCtxAccesses(List<LinkedInsn> insns, int mainSlots)
    {
        var ctx = new bool[11];
        ctx[1] = true;
        for (int n = 0; n < insns.Count && insns[n].Slot < mainSlots; n++)
        {
            var insn = insns[n].Insn;
            switch (insn.Kind)
            {
                case InstructionKind.Load:
                    insns[n] = insns[n] with { CtxBase = ctx[insn.Src & 0xf] };
                    ctx[insn.Dst & 0xf] = false;
                    break;
                case InstructionKind.StoreReg or InstructionKind.StoreImm:
                    insns[n] = insns[n] with { CtxBase = ctx[insn.Dst & 0xf] };
                    break;
                case InstructionKind.Alu64 when insn.Opcode == (Opcodes.ClassAlu64 | Opcodes.Mov | Opcodes.SourceX) && insn.Offset == 0:
                    ctx[insn.Dst & 0xf] = ctx[insn.Src & 0xf];
                    break;
                case InstructionKind.Alu64 or InstructionKind.Alu32 or InstructionKind.LoadImm64 or InstructionKind.Atomic:
                    ctx[insn.Dst & 0xf] = false;
                    break;
                case InstructionKind.CallHelper or InstructionKind.CallLocal or InstructionKind.CallKfunc:
                    // A call clobbers r0-r5 (the BPF calling convention).
                    Array.Fill(ctx, false, 0, 6);
                    break;
            }
        }
    }
}
