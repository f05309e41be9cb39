using Microsoft.Extensions.Options;
using QmsAgentHost.Data;
using QmsAgentHost.Plugins;

namespace QmsAgentHost.Cli;

/// <summary>
/// Verbs of the host executable besides serving: <c>migrate</c> applies the core and plugin
/// migrations and exits. Anything else (or nothing, or <c>serve</c>) serves.
/// </summary>
public static class CliVerbs
{
    public static async Task<int> RunAsync(this WebApplication app, string[] args)
    {
        var verb = Api.ApiExtensions.VerbOf(args);
        if (verb is null && args.Any(a => a is "--help" or "-h" or "-?"))
        {
            await Console.Out.WriteLineAsync("Usage: QmsAgentHost [verb] [options]   (scripts/qms <verb> runs it against the private database)\n\nVerbs:\n"
                + "  serve     serve HTTP (the default)\n  migrate   apply the migrations, load the plugins, report, exit\n"
                + string.Join("\n", app.Services.GetServices<ICliVerb>().Select(v => $"  {v.Name,-9} see '{v.Name} --help'")));
            return 0;
        }
        switch (verb)
        {
            case null or "serve":
                await app.RunAsync();
                return 0;
            case "migrate":
                return await MigrateAsync(app.Services);
            default:
                var handler = app.Services.GetServices<ICliVerb>().FirstOrDefault(v => v.Name == verb);
                if (handler is null)
                {
                    await Console.Error.WriteLineAsync($"Unknown verb '{verb}'. Verbs: serve (default), migrate, "
                        + string.Join(", ", app.Services.GetServices<ICliVerb>().Select(v => v.Name)) + ".");
                    return 2;
                }
                return await handler.RunAsync([.. args.SkipWhile(a => a != verb).Skip(1)], CancellationToken.None);
        }
    }

    private static async Task<int> MigrateAsync(IServiceProvider services)
    {
        // Database:MigrateOnStart decides whether *serving* migrates; this verb exists to migrate,
        // so it does even on nodes configured not to (the usual set-up for a deploy pipeline).
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart = true;
        try
        {
            foreach (var task in services.GetServices<IStartupTask>().Where(t => t.Order < 300).OrderBy(t => t.Order))
            {
                await task.RunAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Data.Migrations.MigrationChecksumException or Npgsql.NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"Migration failed: {ex.Message}");
            return 1;
        }
        var catalog = services.GetRequiredService<PluginCatalog>();
        Console.WriteLine("Core schema is up to date.");
        foreach (var plugin in catalog.All)
        {
            Console.WriteLine(plugin.Status == PluginStatus.Loaded
                ? $"Plugin {plugin.Id}: up to date."
                : $"Plugin {plugin.Id}: {plugin.Status}: {plugin.FailureReason}");
        }
        return catalog.All.Any(p => p.Status == PluginStatus.Failed) ? 1 : 0;
    }
}

/// <summary>A command-line verb contributed by a capability (e.g. <c>audit verify</c>).</summary>
public interface ICliVerb
{
    string Name { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
