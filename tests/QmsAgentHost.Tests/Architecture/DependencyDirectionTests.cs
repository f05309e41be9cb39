using System.Text.RegularExpressions;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Architecture;

/// <summary>
/// Dependencies between the host's folders run one way (STYLE.md, ADR 0014): entry points (Program,
/// Hosting, Pages, Cli) → capabilities (Identity, Plugins, Audit, Signatures, Scheduling, Events, Ai,
/// and those that come) → the foundation (Api, Tenancy, Data). A capability never uses an entry
/// point, the foundation never uses a capability, and no two folders use each other, directly or in a ring.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    private static readonly string[] EntryPoints = ["Hosting", "Pages", "Cli"];
    private static readonly string[] Foundation = ["Api", "Tenancy", "Data"];

    private static readonly string HostFolder = Path.Combine(RepoPaths.Root, "host", "QmsAgentHost");

    private static Dictionary<string, HashSet<string>> Graph()
    {
        var folders = Directory.GetDirectories(HostFolder).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "wwwroot" or "Properties")).ToHashSet()!;
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var folder in folders)
        {
            var uses = new HashSet<string>();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(HostFolder, folder!), "*.*", SearchOption.AllDirectories)
                         .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)))
            {
                var text = File.ReadAllText(file);
                foreach (Match match in Reference().Matches(text))
                {
                    var used = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                    if (used != folder && folders.Contains(used))
                    {
                        uses.Add(used);
                    }
                }
            }
            graph[folder!] = uses;
        }
        return graph;
    }

    [Fact]
    public void The_foundation_uses_no_capability_and_no_capability_uses_an_entry_point()
    {
        var wrong = new List<string>();
        foreach (var (folder, uses) in Graph())
        {
            var allowed = EntryPoints.Contains(folder) ? null
                : Foundation.Contains(folder) ? Foundation.Skip(Array.IndexOf(Foundation, folder) + 1).ToHashSet()
                : null;
            foreach (var used in uses)
            {
                if (allowed is not null && !allowed.Contains(used))
                {
                    wrong.Add($"{folder} -> {used} (the foundation uses only what lies below it: Api -> Tenancy -> Data)");
                }
                if (!EntryPoints.Contains(folder) && EntryPoints.Contains(used))
                {
                    wrong.Add($"{folder} -> {used} (an entry point)");
                }
            }
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public void No_two_folders_use_each_other_directly_or_in_a_ring()
    {
        var graph = Graph();
        var cycles = new List<string>();
        foreach (var start in graph.Keys)
        {
            var stack = new Stack<List<string>>([[start]]);
            var seen = new HashSet<string>();
            while (stack.Count > 0)
            {
                var path = stack.Pop();
                foreach (var next in graph[path[^1]])
                {
                    if (next == start)
                    {
                        cycles.Add(string.Join(" -> ", path.Append(start)));
                    }
                    else if (seen.Add(next))
                    {
                        stack.Push([.. path, next]);
                    }
                }
            }
        }
        Assert.Empty(cycles.Distinct());
    }

    // "using QmsAgentHost.X", "QmsAgentHost.X.", or a relative "X.Type" (not after a dot, as in ex.Data).
    [GeneratedRegex(@"QmsAgentHost\.([A-Z][A-Za-z]+)\b|(?<![\w.])([A-Z][A-Za-z]+)\.[A-Z]\w*")]
    private static partial Regex Reference();
}
