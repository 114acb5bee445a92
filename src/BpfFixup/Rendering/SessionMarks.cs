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
    private Dictionary<BpfFunction, List<string>>? reaching;
    private readonly Dictionary<BpfFunction, string> texts = [];

    public SessionMarks(BpfObject obj) => this.obj = obj;

    /// <summary>The call site at <paramref name="insn"/> of <paramref name="section"/>, or null.</summary>
    public SessionCallSite? At(CodeSection section, int insn) => obj.SessionCallSiteAt(section, insn);

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
            reaching ??= BuildReaching();
            texts[fn] = text = reaching.TryGetValue(fn, out var names) ? string.Join(", ", names) : "unreached";
        }

        return text; // joined once per function, not once per call site
    }

    private Dictionary<BpfFunction, List<string>> BuildReaching()
    {
        var graph = new CallGraph(obj);
        var result = new Dictionary<BpfFunction, List<string>>();
        foreach (var p in obj.Programs)
        {
            string name = p.Definition?.AttachTypeName ?? "unknown";
            foreach (var f in graph.Reachable(p))
            {
                if (!result.TryGetValue(f, out var list))
                {
                    result[f] = list = [];
                }

                if (!list.Contains(name))
                {
                    list.Add(name);
                }
            }
        }

        return result;
    }
}
