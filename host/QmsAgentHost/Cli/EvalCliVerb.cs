using System.Globalization;
using Microsoft.Extensions.Options;
using QmsAgentHost.Planning;
using QmsAgentHost.Plugins;

namespace QmsAgentHost.Cli;

/// <summary>
/// <c>eval planner [--set &lt;file&gt;] [--plugins &lt;dir&gt;] [--fallback &lt;dir&gt;]... [--min &lt;0..1&gt;]</c>:
/// runs the labelled set through the offline planner against the deployed plugins (and, for a
/// product plugin not deployed, its folder under a fallback, e.g. the catalog fixtures), prints
/// top-1, argument and "nothing fits" accuracy and every miss. Needs no database.
/// Exit codes: 0 every score at or above --min (default 0.85), 1 below, 2 usage error.
/// </summary>
internal sealed class EvalCliVerb(PluginFolderLoader loader, PlannerEvaluation evaluation, IOptions<PluginOptions> plugins, IHostEnvironment environment) : ICliVerb
{
    public string Name => "eval";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args is not ["planner", .. var options] || Parse(options) is not { } parsed)
        {
            await Console.Error.WriteLineAsync("Usage: eval planner [--set <file>] [--plugins <dir>] [--fallback <dir>]... [--min <0..1>]");
            return 2;
        }
        if (!File.Exists(parsed.Set))
        {
            await Console.Error.WriteLineAsync($"No labelled set at {Path.GetFullPath(parsed.Set)}.");
            return 2;
        }
        var loaded = PlannerEvaluation.LoadPlugins(loader, parsed.Plugins, parsed.Fallbacks);
        var functions = loaded.SelectMany(p => p.Functions).Select(PlannableFunction.From).ToList();
        Console.WriteLine($"Plugins: {string.Join(", ", loaded.Select(p => $"{p.Id} ({Path.GetDirectoryName(p.Folder)})"))}; {functions.Count} functions.");
        var report = await evaluation.RunAsync(parsed.Set, functions, cancellationToken);
        Console.Write(report.Failures());
        Console.WriteLine(report.Summary());
        return report.TopOneAccuracy >= parsed.Min && report.ArgumentAccuracy >= parsed.Min && report.NothingFitsAccuracy >= parsed.Min ? 0 : 1;
    }

    private (string Set, string Plugins, List<string> Fallbacks, double Min)? Parse(string[] options)
    {
        var set = Path.Combine("eval", "planner-labelled-set.jsonl");
        var directory = Path.IsPathRooted(plugins.Value.Directory) ? plugins.Value.Directory : Path.Combine(environment.ContentRootPath, plugins.Value.Directory);
        var fallbacks = new List<string>();
        var min = 0.85;
        for (var i = 0; i < options.Length; i += 2)
        {
            if (i + 1 >= options.Length)
            {
                return null;
            }
            var value = options[i + 1];
            switch (options[i])
            {
                case "--set":
                    set = value;
                    break;
                case "--plugins":
                    directory = value;
                    break;
                case "--fallback":
                    fallbacks.Add(value);
                    break;
                case "--min" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m is >= 0 and <= 1:
                    min = m;
                    break;
                default:
                    return null;
            }
        }
        return (set, directory, fallbacks, min);
    }
}
