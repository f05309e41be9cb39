using System.Collections.Frozen;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Plugins;
using QmsAgentHost.Sdk.Jobs;
using QmsAgentHost.Tenancy;
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
        var permissions = (plugin.Manifest?.Permissions ?? []).Select(p => p.Name).ToFrozenSet(StringComparer.Ordinal);
        int succeeded = 0, failed = 0;
        foreach (var orgId in await ListTenantsAsync(cancellationToken))
        {
            if (!await enablement.IsEnabledAsync(orgId, pluginId, cancellationToken))
            {
                continue;
            }
            try
            {
                await RunForTenantAsync(runtime, definition, orgId, permissions, scheduledFor, cancellationToken);
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

    private async Task RunForTenantAsync(
        PluginRuntime runtime, PluginJobDefinition definition, Guid orgId, FrozenSet<string> permissions, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        await using var hostScope = scopes.CreateAsyncScope();
        hostScope.ServiceProvider.GetRequiredService<TenantContext>()
            .Set(new Caller(orgId, Guid.Empty, null, SystemUserName, "System", permissions, "system"));
        await using var pluginScope = runtime.Services.CreateAsyncScope();
        pluginScope.ServiceProvider.GetRequiredService<HostScope>().Services = hostScope.ServiceProvider;
        var job = (IPluginJob)pluginScope.ServiceProvider.GetRequiredService(definition.JobType);
        await job.ExecuteAsync(new PluginJobContext(definition.Name, scheduledFor), cancellationToken);
    }

    private async Task<List<Guid>> ListTenantsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSources.Admin.CreateCommand("SELECT org_id FROM core.list_org_ids() AS tenants (org_id)");
        var tenants = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(reader.GetGuid(0));
        }
        return tenants;
    }
}

/// <summary>How a run over all tenants went.</summary>
public sealed record JobRunSummary(int Succeeded, int Failed);
