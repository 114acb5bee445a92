// SPDX-License-Identifier: MIT
using System.Text;
using BpfFixup.Analysis;
using BpfFixup.Diagnostics;
using BpfFixup.Elf;
using BpfFixup.Isa;
using BpfFixup.Model;
using BpfFixup.Rewrite;
using BpfFixup.Tests.TestKit;
using CsCheck;

namespace BpfFixup.Tests.Rewrite;

/// <summary>
/// Random valid objects (fsession programs, optional .text subprograms, an optional kprobe.session program sharing
/// a subprogram) through <see cref="ObjectRewriter"/>: every position-encoding field of the output must reach the
/// instruction that corresponds to the same original instruction. The expected layout is computed here from the
/// generated structure (an independent model of RewritePlan), then compared with the reloaded output.
/// </summary>
public class RewritePropertyTests
{
    private static readonly string[] Kfuncs = ["bpf_session_is_return", "bpf_session_cookie"];

    /// <summary>The knobs CsCheck shrinks; <see cref="Seed"/> drives the details.</summary>
    internal sealed record Shape(int Fsessions, int Subprogs, bool Kprobe, bool BigEndian, int BodyMax, bool PatchV9, int Seed);

    private static readonly Gen<Shape> ShapeGen =
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, 4], Gen.Bool, Gen.Bool, Gen.Int[0, 14], Gen.Bool, Gen.Int)
           .Select((f, s, k, be, n, v9, seed) => new Shape(f, s, k, be, n, v9, seed));

    [Fact]
    public void Rewrite_keeps_every_position_pointing_at_the_same_original_instruction()
    {
        ShapeGen.Sample(shape => Check(Generate(shape)), iter: 2000, print: s => s.ToString());
    }

    [Fact]
    public void Generator_produces_the_interesting_cases()
    {
        // Not a property: a guard that the generator really makes what the property is meant to cover.
        int specialised = 0, landOnSite = 0, callbacks = 0, gotol = 0, backward = 0, kept = 0, wide = 0;
        var rng = new Random(20260124);
        for (int n = 0; n < 300; n++)
        {
            var shape = new Shape(rng.Next(1, 4), rng.Next(0, 5), rng.Next(2) == 0, rng.Next(2) == 0, rng.Next(0, 15), rng.Next(2) == 0, rng.Next());
            var m = Generate(shape);
            var plan = Expect(m);
            specialised += plan.Specialised.Count;
            kept += plan.Kept;
            foreach (var f in m.Functions)
            {
                foreach (var (ins, i) in f.Code.Select((c, i) => (c, i)))
                {
                    callbacks += ins.Kind == OpKind.Callback ? 1 : 0;
                    wide += ins.Insn.IsWide ? 1 : 0;
                    if (ins.Kind == OpKind.Jump)
                    {
                        landOnSite += f.Code[ins.Target].Kind == OpKind.Site ? 1 : 0;
                        gotol += ins.Insn.Kind == InstructionKind.GotoLong ? 1 : 0;
                        backward += ins.Target < i ? 1 : 0;
                    }
                }
            }
        }

        Assert.True(specialised > 10 && landOnSite > 10 && callbacks > 10 && gotol > 10 && backward > 10 && kept > 10 && wide > 10,
            $"specialised {specialised}, jumps onto sites {landOnSite}, callbacks {callbacks}, gotol {gotol}, backward {backward}, kept {kept}, ld_imm64 {wide}");
    }

    // ---------------------------------------------------------------- model

    internal enum OpKind : byte { Plain, Site, Call, Callback, Jump }

    internal sealed class Op
    {
        public Instruction Insn { get; set; }

        public OpKind Kind { get; init; }

        public string? Kfunc { get; init; }

        public Fn? Callee { get; init; }

        /// <summary>For jumps: the target's index in the function.</summary>
        public int Target { get; set; }
    }

    internal sealed class Fn
    {
        public required string Section { get; init; }

        public required string Name { get; init; }

        public bool Global { get; init; }

        public bool IsProgram => Section != ".text";

        public bool Fsession => Section.StartsWith("fsession/", StringComparison.Ordinal);

        public bool Leaf { get; init; }

        public List<Op> Code { get; } = [];

        /// <summary>Index of the first instruction in its section.</summary>
        public int Start { get; set; }

        public int SlotOf(int local) => Code.Take(local).Sum(o => o.Insn.Width);

        public int Slots => SlotOf(Code.Count);
    }

    internal sealed class Model
    {
        public required Shape Shape { get; init; }

        public required List<Fn> Functions { get; init; }

        public required byte[] Bytes { get; init; }

        public KernelAbi Abi => KernelAbi.Find(Shape.PatchV9 ? "patch-v9" : "linux-7.0")!;

        public IEnumerable<Fn> Subprogs => Functions.Where(f => !f.IsProgram);
    }

    internal static Model Generate(Shape shape)
    {
        var rng = new Random(shape.Seed);
        var fns = new List<Fn>();
        for (int i = 0; i < shape.Subprogs; i++)
        {
            fns.Add(new Fn { Section = ".text", Name = $"sub{i}", Global = rng.Next(4) == 0, Leaf = rng.Next(3) == 0 });
        }

        bool shareSection = rng.Next(3) == 0; // clang puts several programs with one SEC name into one section
        for (int i = 0; i < shape.Fsessions; i++)
        {
            fns.Add(new Fn { Section = shareSection && i == 1 ? "fsession/f0" : $"fsession/f{i}", Name = $"f{i}", Global = true });
        }

        if (shape.Kprobe)
        {
            fns.Add(new Fn { Section = "kprobe.session/k0", Name = "k0", Global = true });
        }

        var subs = fns.Where(f => !f.IsProgram).ToList();
        for (int fi = 0; fi < fns.Count; fi++)
        {
            var f = fns[fi];
            var callable = f.IsProgram ? subs : subs.Skip(fi + 1).ToList(); // no recursion: .text calls only later subprograms
            var leaves = subs.Where(s => s.Leaf && s != f).ToList();
            Body(f, rng, shape.BodyMax, callable, leaves);
        }

        if (shape.Kprobe && subs.Count > 0)
        {
            // Share a subprogram between the kprobe.session program and (often) f0: forces specialisation when it
            // reaches a site.
            var nonLeaf = subs.Where(s => !s.Leaf).ToList();
            var shared = nonLeaf.Count > 0 && rng.Next(4) != 0 ? nonLeaf[rng.Next(nonLeaf.Count)] : subs[rng.Next(subs.Count)];
            foreach (var p in fns.Where(p => p.Name == "k0" || (p.Name == "f0" && rng.Next(3) != 0)))
            {
                p.Code.InsertRange(rng.Next(Prologue, p.Code.Count - 1), CallOps(shared));
            }
        }

        // Jump targets are picked once all code is in place (indices shift while inserting).
        foreach (var f in fns)
        {
            PickJumpTargets(f, rng);
        }

        return new Model { Shape = shape, Functions = fns, Bytes = Encode(fns, shape.BigEndian ? ByteOrder.Big : ByteOrder.Little) };
    }

    private const int Prologue = 4; // r6 = r1; r7 = ..; r8 = ..; r9 = ..

    private static void Body(Fn f, Random rng, int max, List<Fn> callable, List<Fn> leaves)
    {
        f.Code.Add(Plain(Asm.MovReg(6, 1)));
        for (byte r = 7; r <= 9; r++)
        {
            f.Code.Add(Plain(Asm.MovImm(r, rng.Next(-100, 100))));
        }

        int n = rng.Next(max + 1);
        bool anySite = false;
        for (int k = 0; k < n; k++)
        {
            switch (rng.Next(10))
            {
                case 0 or 1:
                    f.Code.Add(Plain(RandomAlu(rng)));
                    break;
                case 2:
                    f.Code.Add(Plain(Instruction.LoadImm64((byte)rng.Next(7, 10), 0, rng.NextInt64())));
                    break;
                case 3 or 4 when !f.Leaf:
                    f.Code.AddRange(SiteOps(Kfuncs[rng.Next(2)]));
                    anySite = true;
                    break;
                case 5 when !f.Leaf && callable.Count > 0:
                    f.Code.AddRange(CallOps(callable[rng.Next(callable.Count)]));
                    break;
                case 6 when leaves.Count > 0 && rng.Next(2) == 0:
                    f.Code.Add(new Op { Kind = OpKind.Callback, Callee = leaves[rng.Next(leaves.Count)], Insn = Instruction.LoadImm64(2, 0, 0) });
                    break;
                default:
                    f.Code.Add(new Op { Kind = OpKind.Jump, Insn = RandomJump(rng) });
                    break;
            }
        }

        if (f.IsProgram && f.Fsession && !anySite && rng.Next(2) == 0)
        {
            f.Code.AddRange(SiteOps(Kfuncs[rng.Next(2)]));
        }

        f.Code.Add(Plain(Asm.MovImm(0, 0)));
        f.Code.Add(Plain(Asm.Exit()));
    }

    private static Op Plain(Instruction i) => new() { Kind = OpKind.Plain, Insn = i };

    // r1 = r6 before the call, and again after it, so r1 is ctx at every statement boundary: any jump may land anywhere.
    private static Op[] SiteOps(string kfunc) =>
        [Plain(Asm.MovReg(1, 6)), new Op { Kind = OpKind.Site, Kfunc = kfunc, Insn = Asm.CallRelocated() }, Plain(Asm.MovReg(1, 6))];

    private static Op[] CallOps(Fn callee) =>
        [Plain(Asm.MovReg(1, 6)), new Op { Kind = OpKind.Call, Callee = callee, Insn = Asm.CallRelocated() }, Plain(Asm.MovReg(1, 6))];

    private static Instruction RandomAlu(Random rng)
    {
        byte dst = (byte)rng.Next(7, 10);
        byte[] ops = [Opcodes.Add, Opcodes.Sub, Opcodes.Mul, Opcodes.Or, Opcodes.And, Opcodes.Xor, Opcodes.Mov, Opcodes.Lsh, Opcodes.Rsh, Opcodes.Arsh];
        byte op = ops[rng.Next(ops.Length)];
        bool shift = op is Opcodes.Lsh or Opcodes.Rsh or Opcodes.Arsh;
        return rng.Next(4) switch
        {
            0 => Instruction.Create((byte)(Opcodes.ClassAlu64 | op | Opcodes.SourceX), dst, (byte)rng.Next(7, 10), 0, 0),
            1 => Instruction.Create((byte)(Opcodes.ClassAlu | op | Opcodes.SourceK), dst, 0, 0, shift ? rng.Next(32) : rng.Next(-1000, 1000)),
            2 => Asm.MovImm((byte)rng.Next(2, 6), rng.Next()),
            _ => Instruction.Create((byte)(Opcodes.ClassAlu64 | op | Opcodes.SourceK), dst, 0, 0, shift ? rng.Next(64) : rng.Next(-1000, 1000)),
        };
    }

    private static Instruction RandomJump(Random rng)
    {
        byte[] conds = [Opcodes.Jeq, Opcodes.Jgt, Opcodes.Jge, Opcodes.Jset, Opcodes.Jne, Opcodes.Jsgt, Opcodes.Jsge, Opcodes.Jlt, Opcodes.Jle, Opcodes.Jslt, Opcodes.Jsle];
        byte cond = conds[rng.Next(conds.Length)];
        byte dst = (byte)rng.Next(7, 10);
        return rng.Next(6) switch
        {
            0 => Asm.Goto(0),
            1 => Asm.GotoLong(0),
            2 => Asm.JumpReg(cond, dst, (byte)rng.Next(7, 10), 0),
            3 => Asm.JumpImm(cond, dst, rng.Next(-5, 5), 0, jmp32: true),
            _ => Asm.JumpImm(cond, dst, rng.Next(-5, 5), 0),
        };
    }

    private static void PickJumpTargets(Fn f, Random rng)
    {
        var sites = Enumerable.Range(0, f.Code.Count).Where(i => f.Code[i].Kind is OpKind.Site or OpKind.Call).ToList();
        for (int i = 0; i < f.Code.Count; i++)
        {
            if (f.Code[i].Kind != OpKind.Jump)
            {
                continue;
            }

            int target;
            do
            {
                // Often exactly onto a call (a session site or a subprogram call), otherwise anywhere after the prologue
                // but the final exit: the r0 = 0 before it is the return code the kernel requires (check_return_code).
                target = sites.Count > 0 && rng.Next(3) == 0 ? sites[rng.Next(sites.Count)] : rng.Next(Prologue, f.Code.Count - 1);
            }
            while (target == i);
            f.Code[i].Target = target;
        }
    }

    private static byte[] Encode(List<Fn> fns, ByteOrder order)
    {
        var b = new BpfObjectBuilder(order);
        foreach (var group in fns.GroupBy(f => f.Section))
        {
            var s = b.Section(group.Key);
            foreach (var f in group)
            {
                f.Start = s.Instructions.Count;
                b.Function(f.Section, f.Name, f.Start, f.Global);
                foreach (var op in f.Code)
                {
                    s.Add(op.Insn);
                }
            }
        }

        foreach (var f in fns)
        {
            var s = b.Section(f.Section);
            for (int i = 0; i < f.Code.Count; i++)
            {
                var op = f.Code[i];
                int at = f.Start + i;
                int slot = s.SlotOf(at);
                switch (op.Kind)
                {
                    case OpKind.Jump:
                        int distance = f.SlotOf(op.Target) - f.SlotOf(i) - 1;
                        s.Instructions[at] = op.Insn.WithJumpDistance(distance);
                        break;
                    case OpKind.Site:
                        b.Extern(op.Kfunc!).Relocate(f.Section, at, op.Kfunc!, BpfRelocationType.R64_32);
                        break;
                    case OpKind.Call:
                        var callee = op.Callee!;
                        int calleeSlot = b.Section(".text").SlotOf(callee.Start);
                        if (callee.Global)
                        {
                            b.Relocate(f.Section, at, callee.Name, BpfRelocationType.R64_32); // imm -1 against its own symbol
                        }
                        else if (f.IsProgram)
                        {
                            s.Instructions[at] = Asm.CallLocal(calleeSlot - 1);
                            b.Relocate(f.Section, at, BpfObjectBuilder.TextSectionSymbol, BpfRelocationType.R64_32);
                        }
                        else
                        {
                            s.Instructions[at] = Asm.CallLocal(calleeSlot - slot - 1); // .text to .text: pc-relative, no relocation
                        }

                        break;
                    case OpKind.Callback:
                        s.Instructions[at] = Instruction.LoadImm64(2, 0, b.Section(".text").SlotOf(op.Callee!.Start) * 8);
                        b.Relocate(f.Section, at, BpfObjectBuilder.TextSectionSymbol, BpfRelocationType.R64_64);
                        break;
                }
            }
        }

        // Keep the ops' instructions equal to what was encoded (jump distances, call imms) for the comparisons.
        foreach (var f in fns)
        {
            var s = b.Section(f.Section);
            for (int i = 0; i < f.Code.Count; i++)
            {
                f.Code[i].Insn = s.Instructions[f.Start + i];
            }
        }

        return b.Build();
    }

    // ---------------------------------------------------------------- expected rewrite

    internal sealed record Instance(Fn Fn, bool Copy);

    internal sealed record Expected(HashSet<Fn> InPlace, List<Fn> Specialised, int IsReturn, int Cookie, int Kept)
    {
        public bool Inlines(Instance i) => i.Copy || InPlace.Contains(i.Fn);
    }

    internal static Expected Expect(Model m)
    {
        var fs = new HashSet<Fn>();
        var other = new HashSet<Fn>();
        foreach (var p in m.Functions.Where(f => f.IsProgram))
        {
            foreach (var f in Reach(p))
            {
                (p.Fsession ? fs : other).Add(f);
            }
        }

        var inPlace = m.Functions.Where(f => fs.Contains(f) && !other.Contains(f)).ToHashSet();
        var specialised = m.Subprogs.Where(f => fs.Contains(f) && other.Contains(f) && Reach(f).Any(g => g.Code.Any(o => o.Kind == OpKind.Site))).ToList();
        int isReturn = 0, cookie = 0, kept = 0;
        foreach (var inst in m.Functions.Select(f => new Instance(f, false)).Concat(specialised.Select(f => new Instance(f, true))))
        {
            foreach (var op in inst.Fn.Code.Where(o => o.Kind == OpKind.Site))
            {
                bool inline = inst.Copy || inPlace.Contains(inst.Fn);
                if (!inline)
                {
                    kept += inst.Copy ? 0 : 1;
                }
                else if (op.Kfunc == "bpf_session_cookie")
                {
                    cookie++;
                }
                else
                {
                    isReturn++;
                }
            }
        }

        return new Expected(inPlace, specialised, isReturn, cookie, kept);
    }

    private static HashSet<Fn> Reach(Fn from)
    {
        var seen = new HashSet<Fn> { from };
        var stack = new Stack<Fn>([from]);
        while (stack.Count > 0)
        {
            foreach (var op in stack.Pop().Code)
            {
                if (op.Callee is { } c && seen.Add(c))
                {
                    stack.Push(c);
                }
            }
        }

        return seen;
    }

    // ---------------------------------------------------------------- the property

    private static void Check(Model m)
    {
        var input = TestHelpers.Load(m.Bytes, "gen.o");
        Assert.Empty(input.Diagnostics);
        var analysis = ObjectAnalyzer.Analyze(input);
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics.Where(d => d.Severity == Severity.Error)));
        var result = ObjectRewriter.Rewrite(analysis, new RewriteOptions { Abi = m.Abi });
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics.Where(d => d.Severity == Severity.Error)));
        Assert.NotNull(result.Output);
        var exp = Expect(m);

        // (d) the summary counts what was inlined, kept and specialised.
        var summary = result.Summary!;
        Assert.Equal((exp.IsReturn, exp.Cookie, exp.Kept), (summary.IsReturnInlined, summary.CookieInlined, summary.Kept));
        Assert.Equal(exp.Specialised.Select(f => f.Name), summary.Specialised.Select(s => s.Original));
        if (exp.IsReturn + exp.Cookie == 0 && exp.Specialised.Count == 0)
        {
            Assert.True(summary.Unchanged);
            Assert.Equal(m.Bytes, result.Output);
            return;
        }

        var diags = new DiagnosticBag();
        Assert.True(ObjectLoader.TryLoad(result.Output!, "out.o", diags, out var output), string.Join("\n", diags.Items));
        // (c) relocations and symbols are consistent with the new layout.
        Assert.True(output!.Diagnostics.Count == 0, string.Join("\n", output.Diagnostics));

        // Expected output layout per section: (instance, original index, template step or -1).
        var layout = new Dictionary<string, List<(Instance Inst, int Local, int Step)>>();
        var first = new Dictionary<(Fn, bool, int), (string Section, int Index)>();
        foreach (var section in m.Functions.Select(f => f.Section).Distinct())
        {
            var list = new List<(Instance, int, int)>();
            var instances = m.Functions.Where(f => f.Section == section).Select(f => new Instance(f, false))
                .Concat(section == ".text" ? exp.Specialised.Select(f => new Instance(f, true)) : []);
            foreach (var inst in instances)
            {
                for (int i = 0; i < inst.Fn.Code.Count; i++)
                {
                    first[(inst.Fn, inst.Copy, i)] = (section, list.Count);
                    var op = inst.Fn.Code[i];
                    if (op.Kind == OpKind.Site && exp.Inlines(inst))
                    {
                        int n = m.Abi.TemplateFor(SessionKfuncs.FromName(op.Kfunc!)!.Value).Instructions.Count;
                        for (int k = 0; k < n; k++)
                        {
                            list.Add((inst, i, k));
                        }
                    }
                    else
                    {
                        list.Add((inst, i, -1));
                    }
                }
            }

            layout[section] = list;
        }

        int templates = 0;
        int relocations = 0;
        foreach (var (name, list) in layout)
        {
            var code = output.CodeSections.Single(c => c.Name == name);
            Assert.True(list.Count == code.Instructions.Length, $"{name}: expected {list.Count} instructions, got {code.Instructions.Length}\n{Dump(code)}");
            for (int o = 0; o < list.Count; o++)
            {
                var (inst, local, step) = list[o];
                var op = inst.Fn.Code[local];
                var got = code.Instructions[o];
                string where = $"{name} insn {o} (slot {code.Slots[o]}) = {inst.Fn.Name}{(inst.Copy ? " copy" : string.Empty)}[{local}] {op.Kind}";
                relocations += code.Relocations[o] is null ? 0 : 1;
                if (step >= 0)
                {
                    var template = m.Abi.TemplateFor(SessionKfuncs.FromName(op.Kfunc!)!.Value).Instructions;
                    Assert.True(template[step] == got, $"{where}: template step {step} expected {template[step]}, got {got}");
                    Assert.Null(code.Relocations[o]);
                    templates += step == 0 ? 1 : 0;
                    continue;
                }

                var orig = op.Insn;
                switch (op.Kind)
                {
                    case OpKind.Jump:
                        // (b) identical but for the distance; (a) it reaches the same original instruction.
                        Assert.True(orig.WithJumpDistance(0) == got.WithJumpDistance(0), $"{where}: {orig} became {got}");
                        int slot = code.Slots[o] + got.JumpDistance + 1;
                        int reached = code.InsnAtSlot(slot);
                        var want = first[(inst.Fn, inst.Copy, op.Target)];
                        Assert.True(reached == want.Index, $"{where}: jump reaches output insn {reached}, expected {want.Index} (original [{op.Target}])\n{Dump(code)}");
                        Assert.Null(code.Relocations[o]);
                        break;
                    case OpKind.Call:
                    case OpKind.Callback:
                        Assert.True((orig with { Imm = 0 }) == (got with { Imm = 0 }), $"{where}: {orig} became {got}");
                        var callee = new Instance(op.Callee!, exp.Inlines(inst) && exp.Specialised.Contains(op.Callee!));
                        var target = op.Kind == OpKind.Call ? output.ResolveCall(code, o) : output.ResolveFunctionPointer(code, o);
                        var wantCallee = first[(callee.Fn, callee.Copy, 0)];
                        Assert.True(target.Kind == CallTargetKind.Subprogram && target.Section?.Name == wantCallee.Section && target.TargetInsn == wantCallee.Index,
                            $"{where}: reaches {target.Section?.Name}:{target.TargetInsn}, expected {callee.Fn.Name}{(callee.Copy ? " copy" : string.Empty)} at {wantCallee.Section}:{wantCallee.Index}");
                        bool relocated = op.Kind == OpKind.Callback || inst.Fn.IsProgram || op.Callee!.Global;
                        Assert.True(relocated == code.Relocations[o] is not null, $"{where}: relocation expected {relocated}");
                        if (code.Relocations[o] is { } r)
                        {
                            Assert.Equal(op.Kind == OpKind.Call ? BpfRelocationType.R64_32 : BpfRelocationType.R64_64, r.Type);
                        }

                        break;
                    case OpKind.Site:
                        // A kept site: still the call, still relocated against the kfunc.
                        Assert.True(orig == got, $"{where}: kept call {orig} became {got}");
                        Assert.True(code.Relocations[o] is { } kr && kr.SymbolName == op.Kfunc && kr.Symbol.IsUndefined && kr.Type == BpfRelocationType.R64_32, $"{where}: kept call lost its relocation");
                        break;
                    default:
                        // (b) everything else is byte-identical.
                        Assert.True(orig == got, $"{where}: {orig} became {got}");
                        Assert.Null(code.Relocations[o]);
                        break;
                }
            }
        }

        // (d) as counted in the output.
        Assert.Equal(exp.IsReturn + exp.Cookie, templates);
        int relocsBefore = input.CodeSections.Sum(c => c.Relocations.Count);
        int copyRelocs = exp.Specialised.Sum(f => f.Code.Count(op => op.Kind == OpKind.Callback || (op.Kind == OpKind.Call && op.Callee!.Global)));
        int inlinedInCopies = exp.Specialised.Sum(f => f.Code.Count(op => op.Kind == OpKind.Site));
        Assert.Equal(relocsBefore - (exp.IsReturn + exp.Cookie - inlinedInCopies) + copyRelocs, relocations);

        // (c) FUNC symbols: each still starts at its original function, sized to it; copies named and placed.
        var funcs = output.Elf.Symbols.Where(s => s.Type == ElfConstants.SttFunc).ToList();
        Assert.Equal(m.Functions.Count + exp.Specialised.Count, funcs.Count);
        foreach (var sec in layout.Keys)
        {
            var code = output.CodeSections.Single(c => c.Name == sec);
            var instances = m.Functions.Where(f => f.Section == sec).Select(f => new Instance(f, false))
                .Concat(sec == ".text" ? exp.Specialised.Select(f => new Instance(f, true)) : []).ToList();
            for (int k = 0; k < instances.Count; k++)
            {
                var inst = instances[k];
                string symName = inst.Copy ? inst.Fn.Name + "__fsession" : inst.Fn.Name;
                var sym = funcs.Single(s => s.Name == symName);
                int startInsn = first[(inst.Fn, inst.Copy, 0)].Index;
                int endInsn = first[(inst.Fn, inst.Copy, inst.Fn.Code.Count - 1)].Index + 1;
                Assert.Equal((ulong)code.Slots[startInsn] * 8, sym.Value);
                ulong endSlot = endInsn < code.Instructions.Length ? (ulong)code.Slots[endInsn] : (ulong)code.SlotCount;
                Assert.True(endSlot * 8 - sym.Value == sym.Size, $"{symName}: st_size 0x{sym.Size:x}, expected 0x{endSlot * 8 - sym.Value:x}");
                Assert.Equal(inst.Copy ? ElfConstants.StbLocal : (inst.Fn.Global ? ElfConstants.StbGlobal : ElfConstants.StbLocal), sym.Binding);
                Assert.Equal(code.Elf.Index, sym.SectionIndex);
            }
        }

        Assert.Equal(input.Programs.Select(p => p.Name), output.Programs.Select(p => p.Name));

        // The output is a fixed point: analysing it again finds no error and nothing left to inline.
        var again = ObjectAnalyzer.Analyze(output);
        Assert.False(again.HasErrors, string.Join("\n", again.Diagnostics.Where(d => d.Severity == Severity.Error)));
        Assert.DoesNotContain(again.Verdicts, v => v.Action == SiteAction.Inline);
    }

    private static string Dump(CodeSection code)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < code.Instructions.Length; i++)
        {
            sb.Append(i).Append(" @").Append(code.Slots[i]).Append(": ").Append(code.Instructions[i]).Append(code.Relocations[i] is { } r ? " R " + r.SymbolName : string.Empty).Append('\n');
        }

        return sb.ToString();
    }
}
