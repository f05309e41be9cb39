using System.Globalization;
using System.Text;
using System.Text.Json;
using QmsAgentHost.Plugins;

namespace QmsAgentHost.Planning;

/// <summary>
/// Runs a labelled set of requests through the offline planner, the same logic as
/// <c>POST /api/chat/plan</c>, and scores it: top-1 function accuracy, argument accuracy, and
/// correct "nothing fits" answers. Used by the <c>eval planner</c> verb and its test.
/// </summary>
public sealed class PlannerEvaluation(FunctionEmbeddings embeddings)
{
    /// <summary>The product plugins the labelled set covers.</summary>
    public static IReadOnlyList<string> ProductPlugins { get; } = ["ncm", "capa", "audit", "quote", "knowledge", "erpcopilot"];

    /// <summary>
    /// Loads the plugins to evaluate against: every plugin of <paramref name="primary"/> (the deployed
    /// plugins), and each product plugin missing there from the first of <paramref name="fallbacks"/>
    /// that has it (the catalog fixtures), so the same set runs on the real plugins as they land.
    /// </summary>
    internal static IReadOnlyList<PluginRecord> LoadPlugins(PluginFolderLoader loader, string primary, IEnumerable<string> fallbacks)
    {
        var plugins = new List<PluginRecord>();
        primary = Path.GetFullPath(primary);
        fallbacks = [.. fallbacks.Select(Path.GetFullPath)];
        if (Directory.Exists(primary))
        {
            plugins.AddRange(Directory.GetDirectories(primary).Order(StringComparer.Ordinal).Select(loader.Load).Where(p => p.Status == PluginStatus.Loaded));
        }
        foreach (var id in ProductPlugins.Where(id => plugins.All(p => p.Id != id)))
        {
            var folder = fallbacks.Select(f => Path.Combine(f, id)).FirstOrDefault(Directory.Exists);
            if (folder is not null && loader.Load(folder) is { Status: PluginStatus.Loaded } loaded)
            {
                plugins.Add(loaded);
            }
        }
        return plugins;
    }

    public async Task<EvaluationReport> RunAsync(string setPath, IReadOnlyList<PlannableFunction> functions, CancellationToken cancellationToken)
    {
        var (today, cases) = LabelledSet.Read(setPath);
        var planner = new OfflinePlanner(embeddings, new FixedClock(today));
        var results = new List<CaseResult>(cases.Count);
        foreach (var labelled in cases)
        {
            var plan = await planner.PlanAsync(labelled.Request, functions, cancellationToken);
            var functionRight = labelled.Function is null
                ? plan.Function is null
                : SameName(plan.Plugin, labelled.Plugin) && SameName(plan.Function, labelled.Function);
            var wrongArguments = functionRight && labelled.Function is not null ? WrongArguments(labelled.Arguments, plan.Arguments) : [];
            results.Add(new CaseResult(labelled, plan, functionRight, wrongArguments));
        }
        return new EvaluationReport(today, results);
    }

    /// <summary>Plugin and function names compare ignoring case, underscores and dashes (the SDK's convention).</summary>
    public static bool SameName(string? a, string? b) => a is not null && b is not null && Canonical(a) == Canonical(b);

    private static string Canonical(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    private static List<string> WrongArguments(IReadOnlyDictionary<string, JsonElement> expected, IReadOnlyDictionary<string, JsonElement> actual)
    {
        var wrong = new List<string>();
        foreach (var (name, value) in expected)
        {
            if (!actual.TryGetValue(name, out var got) || !Matches(value, got))
            {
                wrong.Add($"{name}: expected {value.GetRawText()}, got {(actual.TryGetValue(name, out var g) ? g.GetRawText() : "nothing")}");
            }
        }
        return wrong;
    }

    private static bool Matches(JsonElement expected, JsonElement actual) => expected.ValueKind switch
    {
        JsonValueKind.String when expected.GetString()!.StartsWith('~') =>
            actual.ValueKind == JsonValueKind.String && actual.GetString()!.Contains(expected.GetString()![1..], StringComparison.OrdinalIgnoreCase),
        JsonValueKind.String => actual.ValueKind == JsonValueKind.String && string.Equals(expected.GetString(), actual.GetString(), StringComparison.OrdinalIgnoreCase),
        JsonValueKind.Number => actual.ValueKind == JsonValueKind.Number && expected.GetDecimal() == actual.GetDecimal(),
        JsonValueKind.True or JsonValueKind.False => actual.ValueKind == expected.ValueKind,
        JsonValueKind.Array => actual.ValueKind == JsonValueKind.Array && expected.GetArrayLength() == actual.GetArrayLength()
            && expected.EnumerateArray().Zip(actual.EnumerateArray()).All(pair => Matches(pair.First, pair.Second)),
        JsonValueKind.Object => actual.ValueKind == JsonValueKind.Object
            && expected.EnumerateObject().All(p => actual.TryGetProperty(p.Name, out var v) && Matches(p.Value, v)),
        _ => expected.GetRawText() == actual.GetRawText(),
    };

    private sealed class FixedClock(DateOnly today) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(today.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}

/// <summary>One labelled request: the function that should take it (null: none should) and the arguments that matter.</summary>
public sealed record LabelledRequest(string Request, string? Plugin, string? Function, IReadOnlyDictionary<string, JsonElement> Arguments);

internal static class LabelledSet
{
    public static (DateOnly Today, List<LabelledRequest> Cases) Read(string path)
    {
        var today = DateOnly.FromDateTime(DateTime.UnixEpoch);
        var cases = new List<LabelledRequest>();
        foreach (var line in File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("meta", out var meta))
            {
                today = DateOnly.ParseExact(meta.GetProperty("today").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                continue;
            }
            cases.Add(new LabelledRequest(
                root.GetProperty("request").GetString()!,
                root.GetProperty("plugin").GetString(),
                root.GetProperty("function").GetString(),
                root.TryGetProperty("arguments", out var arguments)
                    ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
                    : []));
        }
        return (today, cases);
    }
}

public sealed record CaseResult(LabelledRequest Case, PlanResult Plan, bool FunctionRight, IReadOnlyList<string> WrongArguments)
{
    public bool ArgumentsRight => FunctionRight && WrongArguments.Count == 0;
}

/// <summary>The scores of one run.</summary>
public sealed record EvaluationReport(DateOnly Today, IReadOnlyList<CaseResult> Results)
{
    private IEnumerable<CaseResult> Calls => Results.Where(r => r.Case.Function is not null);

    private IEnumerable<CaseResult> Declines => Results.Where(r => r.Case.Function is null);

    /// <summary>Requests a function should take whose function was ranked first.</summary>
    public double TopOneAccuracy => Share(Calls, r => r.FunctionRight);

    /// <summary>Of the requests whose function was right, those with every labelled argument right.</summary>
    public double ArgumentAccuracy => Share(Calls.Where(r => r.FunctionRight), r => r.ArgumentsRight);

    /// <summary>Requests no function should take that the planner declined.</summary>
    public double NothingFitsAccuracy => Share(Declines, r => r.FunctionRight);

    /// <summary>Of the requests no function should take, those mapped to a data-changing function (the worst error).</summary>
    public int DataChangingGuesses { get; init; }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"top-1 {TopOneAccuracy:P1} ({Calls.Count(r => r.FunctionRight)}/{Calls.Count()}), arguments {ArgumentAccuracy:P1} ({Calls.Count(r => r.ArgumentsRight)}/{Calls.Count(r => r.FunctionRight)}), "
        + $"nothing fits {NothingFitsAccuracy:P1} ({Declines.Count(r => r.FunctionRight)}/{Declines.Count()})");

    public string Failures()
    {
        var text = new StringBuilder();
        foreach (var r in Results.Where(r => !r.ArgumentsRight && !(r.Case.Function is null && r.FunctionRight)))
        {
            text.Append(CultureInfo.InvariantCulture, $"- \"{r.Case.Request}\"\n  expected {r.Case.Plugin ?? "-"}.{r.Case.Function ?? "(none)"}, got {r.Plan.Plugin ?? "-"}.{r.Plan.Function ?? "(none)"} ({r.Plan.Confidence:0.00}) {r.Plan.Reason}");
            foreach (var wrong in r.WrongArguments)
            {
                text.Append("\n  ").Append(wrong);
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static double Share(IEnumerable<CaseResult> results, Func<CaseResult, bool> right)
    {
        var list = results.ToList();
        return list.Count == 0 ? 1 : (double)list.Count(right) / list.Count;
    }
}
