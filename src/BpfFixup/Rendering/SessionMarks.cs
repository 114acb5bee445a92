// SPDX-License-Identifier: MIT
using BpfFixup.Model;

namespace BpfFixup.Rendering;

/// <summary>
/// The mark printed on each session-kfunc call site: the kfunc and the attach type(s) of the program(s) the call
/// runs in. In a program section that is the section's attach type; in <c>.text</c> it is every program reaching
/// the subprogram through the call graph, in program order (<c>unreached</c> when none does).
/// </summary>
internal sealed class SessionMarks
{
    private readonly BpfObject obj;
    private readonly Dictionary<BpfFunction, string> texts = [];
    private CallGraph? graph;
    private Dictionary<BpfFunction, List<BpfFunction>>? callers;

    // The cursor of At: the sites of one section (a run of the object's sites, which are sorted by section, then
    // instruction), the next site not before the last instruction asked, and that site's instruction.
    private CodeSection? cursorSection;
    private int cursor;
    private int cursorEnd;
    private int lastInsn;

    public SessionMarks(BpfObject obj) => this.obj = obj;

    /// <summary>The call site at <paramref name="insn"/> of <paramref name="section"/>, or null.</summary>
    /// <remarks>
    /// A listing asks for every instruction in order: read with a cursor over the section's sites, one comparison
    /// per instruction, instead of <see cref="BpfObject.SessionCallSiteAt"/>'s search (a quarter of a thousand
    /// instructions each, most of a listing's per-instruction cost after its text). Asked out of order, it starts the
    /// section's run again.
    /// </remarks>
    public SessionCallSite? At(CodeSection section, int insn)
    {
        var sites = obj.SessionCallSites;
        if (!ReferenceEquals(section, cursorSection) || insn < lastInsn)
        {
            Seek(section);
        }

        lastInsn = insn;
        while (cursor < cursorEnd && sites[cursor].Insn < insn)
        {
            cursor++;
        }

        return cursor < cursorEnd && sites[cursor] is var site && site.Insn == insn ? site : null;
    }

    /// <summary>Puts the cursor at the first site of <paramref name="section"/>.</summary>
    private void Seek(CodeSection section)
    {
        (cursor, cursorEnd) = obj.SessionCallSiteRange(section) ?? (0, 0);
        cursorSection = section;
        lastInsn = int.MinValue;
    }

    /// <summary>The attach-type text for <paramref name="site"/>, e.g. <c>trace_fsession</c> or <c>trace_fsession, kprobe_session</c>.</summary>
    public string AttachText(SessionCallSite site)
    {
        var fn = site.Function;
        if (!fn.IsSubprogram)
        {
            return fn.Definition?.AttachTypeName ?? "unknown";
        }

        if (!texts.TryGetValue(fn, out var text))
        {
            texts[fn] = text = Reaching(fn) is { Count: > 0 } names ? string.Join(", ", names) : "unreached";
        }

        return text; // joined once per function, not once per call site
    }

    /// <summary>
    /// The attach types of the programs that reach <paramref name="fn"/> (<see cref="CallGraph.Reachable"/> of the
    /// program holds it), in program order without repeats. Found by walking the call graph backwards from the
    /// function, once per function with a site, rather than walking forwards from every program (2,000 programs
    /// sharing a few subprograms each walked their whole reach).
    /// </summary>
    private List<string> Reaching(BpfFunction fn)
    {
        graph ??= new CallGraph(obj);
        if (callers is null)
        {
            callers = [];
            foreach (var f in obj.Functions)
            {
                foreach (var (_, callee, _) in graph.CalleesOf(f))
                {
                    if (!callers.TryGetValue(callee, out var list))
                    {
                        callers[callee] = list = [];
                    }

                    list.Add(f);
                }
            }
        }

        var reaching = new HashSet<BpfFunction> { fn };
        var stack = new Stack<BpfFunction>();
        stack.Push(fn);
        while (stack.Count > 0)
        {
            if (callers.TryGetValue(stack.Pop(), out var list))
            {
                foreach (var caller in list)
                {
                    if (reaching.Add(caller))
                    {
                        stack.Push(caller);
                    }
                }
            }
        }

        var names = new List<string>();
        foreach (var p in obj.Programs)
        {
            string name = p.Definition?.AttachTypeName ?? "unknown";
            if (reaching.Contains(p) && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }
}
