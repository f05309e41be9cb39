using QmsAgentHost.Data;
using QmsAgentHost.Plugins;
using QmsAgentHost.Sdk.Jobs;
using Quartz;

namespace QmsAgentHost.Scheduling;

/// <summary>
/// Runs one plugin job for every tenant, each in its own scope with the tenant context set to that
/// tenant's system identity (holding the plugin's own permissions). One tenant's failure is logged
/// and does not stop the others. Quartz fires it once across the cluster.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class PluginJobRunner(
    PluginCatalog catalog, QmsDataSources dataSources, PluginEnablement enablement, IServiceScopeFactory scopes, TimeProvider clock,
    ILogger<PluginJobRunner> logger) : IJob
{
    public const string PluginKey = "plugin";
    public const string JobKey = "job";

    /// <summary>The display name audit entries show for work the host does on a tenant's behalf.</summary>
    public const string SystemUserName = "system (scheduled job)";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var pluginId = context.MergedJobDataMap.GetString(PluginKey) ?? "";
        var jobName = context.MergedJobDataMap.GetString(JobKey) ?? "";
        var result = await RunForAllTenantsAsync(pluginId, jobName, context.ScheduledFireTimeUtc ?? clock.GetUtcNow(), cancellationToken);
        context.Result = result;
    }

    public async Task<JobRunSummary> RunForAllTenantsAsync(string pluginId, string jobName, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        if (catalog.Find(pluginId) is not { Status: PluginStatus.Loaded, Runtime: { } runtime } plugin
            || runtime.Jobs.FirstOrDefault(j => j.Name == jobName) is not { } definition)
        {
            logger.LogWarning("Scheduled job {Plugin}.{Job} skipped: the plugin or job is not loaded", pluginId, jobName);
            return new JobRunSummary(0, 0);
        }
        int succeeded = 0, failed = 0;
        foreach (var orgId in await dataSources.ListTenantIdsAsync(cancellationToken))
        {
            if (!await enablement.IsEnabledAsync(orgId, pluginId, cancellationToken))
            {
                continue;
            }
            try
            {
                await PluginSystemScope.RunAsync(scopes, plugin, orgId, SystemUserName, services =>
                    ((IPluginJob)services.GetRequiredService(definition.JobType)).ExecuteAsync(new PluginJobContext(definition.Name, scheduledFor), cancellationToken));
                succeeded++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                logger.LogError(ex, "Scheduled job {Plugin}.{Job} failed for org {OrgId}", pluginId, jobName, orgId);
            }
        }
        return new JobRunSummary(succeeded, failed);
    }
}

/// <summary>How a run over all tenants went.</summary>
public sealed record JobRunSummary(int Succeeded, int Failed);
