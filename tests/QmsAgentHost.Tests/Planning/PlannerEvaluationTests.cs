using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QmsAgentHost.Ai.Embeddings;
using QmsAgentHost.Planning;
using QmsAgentHost.Plugins;
using QmsAgentHost.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QmsAgentHost.Tests.Planning;

/// <summary>
/// The labelled set (eval/planner-labelled-set.jsonl) through the offline planner, against the
/// product plugins that are deployed (artifacts/plugins), or their catalog fixtures where not yet.
/// Targets are 90%; the test fails below 85%.
/// </summary>
public sealed class PlannerEvaluationTests(ITestOutputHelper output)
{
    public const double Floor = 0.85;

    [Fact]
    public async Task Offline_planner_meets_the_accuracy_floor_on_the_labelled_set()
    {
        await using var services = Services();
        var plugins = PlannerEvaluation.LoadPlugins(services.GetRequiredService<PluginFolderLoader>(), RepoPaths.Plugins, [RepoPaths.TestPlugins]);
        Assert.All(PlannerEvaluation.ProductPlugins, id => Assert.Contains(plugins, p => p.Id == id));
        var functions = plugins.SelectMany(p => p.Functions).Select(PlannableFunction.From).ToList();

        var report = await services.GetRequiredService<PlannerEvaluation>().RunAsync(
            Path.Combine(RepoPaths.Root, "eval", "planner-labelled-set.jsonl"), functions, CancellationToken.None);

        output.WriteLine(report.Summary());
        output.WriteLine(report.Failures());
        Assert.True(report.Results.Count(r => r.Case.Function is not null) >= 200, "the set has at least 200 requests a function should take");
        Assert.True(report.Results.Count(r => r.Case.Function is null) >= 30, "the set has at least 30 requests no function should take");
        Assert.True(report.TopOneAccuracy >= Floor, report.Summary());
        Assert.True(report.ArgumentAccuracy >= Floor, report.Summary());
        Assert.True(report.NothingFitsAccuracy >= Floor, report.Summary());
        foreach (var plugin in plugins)
        {
            plugin.MarkUnloaded();
        }
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(Options.Create(new EmbeddingOptions()));
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, LocalEmbeddingGenerator>();
        services.AddSingleton<PluginFolderLoader>();
        services.AddSingleton<FunctionEmbeddings>();
        services.AddSingleton<PlannerEvaluation>();
        return services.BuildServiceProvider();
    }
}
