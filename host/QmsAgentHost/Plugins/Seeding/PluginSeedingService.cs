using Microsoft.Extensions.Options;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Plugins.Seeding;

/// <summary>
/// After start-up, in the background so the host serves meanwhile: gives every tenant the plugins'
/// starter seeds, and the demo tenant (when <c>Seed:DemoTenant</c> is on) the demo sample data too.
/// A failing seed is logged and retried at the next start; it never stops the host.
/// </summary>
internal sealed class PluginSeedingService(
    StartupState startup, PluginSeeder seeder, QmsDataSources dataSources, IOptions<SeedOptions> options, ILogger<PluginSeedingService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PluginSeeds)
        {
            return;
        }
        while (!startup.Completed)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
        }
        var demoOrg = options.Value.DemoTenant ? await dataSources.ResolveOrganizationAsync(DemoTenantSeeder.Slug, stoppingToken) : null;
        foreach (var orgId in await dataSources.ListTenantIdsAsync(stoppingToken))
        {
            try
            {
                var applied = await seeder.SeedAsync(orgId, includeDemo: orgId == demoOrg, stoppingToken);
                if (applied.Count > 0)
                {
                    logger.LogInformation("Seeded org {OrgId}: {Seeds}", orgId, string.Join(", ", applied));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Seeding org {OrgId} failed; it is retried at the next start", orgId);
            }
        }
    }

}
