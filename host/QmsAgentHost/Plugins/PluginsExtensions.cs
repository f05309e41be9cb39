using Microsoft.Extensions.Diagnostics.HealthChecks;
using QmsAgentHost.Data;
using QmsAgentHost.Plugins.Seeding;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Plugins;

public static class PluginsExtensions
{
    public static IHostApplicationBuilder AddPlugins(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PluginOptions>().BindConfiguration(PluginOptions.SectionName);
        builder.Services.AddSingleton<PluginCatalog>();
        builder.Services.AddSingleton<PluginFolderLoader>();
        builder.Services.AddSingleton<PluginStartup>();
        builder.Services.AddSingleton<IStartupTask>(sp => sp.GetRequiredService<PluginStartup>());
        builder.Services.AddSingleton<PluginFunctionInvoker>();
        builder.Services.AddFunctionFilters();
        builder.Services.AddSingleton<PluginEnablement>();
        builder.Services.AddSingleton<IPermissionSource, PluginPermissions>();
        builder.Services.AddSingleton<PluginSeeder>();
        builder.Services.AddHostedService<PluginSeedingService>();
        builder.Services.AddHealthChecks().AddCheck<PluginsHealthCheck>("plugins", tags: ["ready"]);
        return builder;
    }
}

/// <summary>Ready once the plugin set is loaded; degraded (still serving) while any plugin is failed.</summary>
internal sealed class PluginsHealthCheck(PluginCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!catalog.IsReady)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("plugins are still loading"));
        }
        var failed = catalog.All.Where(p => p.Status == PluginStatus.Failed).Select(p => p.Id).ToList();
        var loaded = catalog.All.Count(p => p.Status == PluginStatus.Loaded);
        return Task.FromResult(failed.Count == 0
            ? HealthCheckResult.Healthy($"{loaded} plugin(s) loaded")
            : HealthCheckResult.Degraded($"{loaded} plugin(s) loaded; failed: {string.Join(", ", failed)}"));
    }
}

/// <summary>The permissions each loaded plugin declares in its manifest.</summary>
internal sealed class PluginPermissions(PluginCatalog catalog) : IPermissionSource
{
    public IEnumerable<(string Name, string DefaultRole, string Description)> Permissions =>
        catalog.All.Where(p => p.Status == PluginStatus.Loaded && p.Manifest is not null)
            .SelectMany(p => p.Manifest!.Permissions)
            .Select(p => (p.Name, p.DefaultRole, p.Description));
}
